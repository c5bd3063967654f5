package sources

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// ErrAddressRefused is returned (wrapped) by Fetch when a connection would go to an address
// FetcherOptions.CheckAddress refuses.
var ErrAddressRefused = errors.New("address refused")

// AddressCheck decides whether a fetcher may connect to addr, an address DNS resolved to (or
// the literal one of the URL). A non-nil error refuses the connection; it should wrap
// ErrAddressRefused.
type AddressCheck func(addr netip.AddrPort) error

// PublicOnly is an AddressCheck that refuses every address not on the public internet:
// loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, fe80::/10),
// multicast, unspecified, 0.0.0.0/8, CGNAT 100.64/10, the other IPv4 special-purpose blocks
// (192.0.0/24, benchmarking 198.18/15, documentation, 240/4 and broadcast), IPv6
// documentation and site-local, and the IPv4 addresses embedded in IPv4-mapped, NAT64
// (64:ff9b::/96) and 6to4 (2002::/16) addresses when they are any of these.
func PublicOnly(addr netip.AddrPort) error {
	if !isPublicAddr(addr.Addr()) {
		return fmt.Errorf("%w: %s is not a public address", ErrAddressRefused, addr.Addr())
	}
	return nil
}

// nonPublicPrefixes are the special-purpose blocks netip's predicates do not name.
var nonPublicPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"), // 255.255.255.255 included
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("fec0::/10"),
}

var (
	nat64Prefix = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour   = netip.MustParsePrefix("2002::/16")
)

// isPublicAddr reports whether ip is an address on the public internet (see PublicOnly).
func isPublicAddr(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("")
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range nonPublicPrefixes {
		if p.Contains(ip) {
			return false
		}
	}
	b := ip.As16()
	switch {
	case nat64Prefix.Contains(ip):
		return isPublicAddr(netip.AddrFrom4([4]byte(b[12:16])))
	case sixToFour.Contains(ip):
		return isPublicAddr(netip.AddrFrom4([4]byte(b[2:6])))
	}
	return true
}

// guardTransport returns a copy of base (http.DefaultTransport when nil) that connects only
// to addresses check allows, checked on the address dialed, after DNS resolution — so at every
// redirect and every connection, whatever the URL's text says — and that uses no proxy (a
// proxy's address would be checked instead of the target's).
func guardTransport(base http.RoundTripper, check AddressCheck, connectTimeout time.Duration) *http.Transport {
	if base == nil {
		base = http.DefaultTransport
	}
	t, ok := base.(*http.Transport)
	if !ok {
		panic("sources: FetcherOptions.CheckAddress needs the client's Transport to be an *http.Transport")
	}
	t = t.Clone()
	t.Proxy = nil
	d := &net.Dialer{
		Timeout:   connectTimeout,
		KeepAlive: 30 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("%w: %s: %v", ErrAddressRefused, address, err)
			}
			return check(ap)
		},
	}
	t.DialContext = func(ctx context.Context, network, address string) (net.Conn, error) {
		return d.DialContext(ctx, network, address)
	}
	t.DialTLSContext = nil
	t.TLSHandshakeTimeout = connectTimeout
	return t
}

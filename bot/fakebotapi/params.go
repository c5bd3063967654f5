package fakebotapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// maxBodyBytes bounds a request body: a file upload (maxUploadBytes) with
// room for the other fields.
const maxBodyBytes = maxUploadBytes + 1<<20

// errTooLarge is a request body over maxBodyBytes.
var errTooLarge = errors.New("request entity too large")

// params are the parameters of one Bot API call, each as the text the client
// sent: strings as they are, numbers and booleans as JSON text, objects and
// arrays as JSON.
type params map[string]string

// readParams collects the parameters of r from its query string and from its
// body, which may be multipart/form-data (what go-telegram/bot sends),
// application/x-www-form-urlencoded or a JSON object. An empty body is no
// parameters, whatever its Content-Type says.
//
// The file parts of a multipart body are returned by field name.
func readParams(r *http.Request) (params, map[string]upload, error) {
	p := params{}
	for k, v := range r.URL.Query() {
		p[k] = v[0]
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read body: %w", err)
	}
	if len(body) > maxBodyBytes {
		return nil, nil, errTooLarge
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return p, nil, nil
	}
	var files map[string]upload
	mediaType, mediaParams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "multipart/form-data":
		form, err := multipart.NewReader(bytes.NewReader(body), mediaParams["boundary"]).ReadForm(maxBodyBytes)
		if err != nil {
			return nil, nil, fmt.Errorf("parse multipart body: %w", err)
		}
		defer func() { _ = form.RemoveAll() }()
		for k, v := range form.Value {
			p[k] = v[0]
		}
		for k, fhs := range form.File {
			data, err := readFilePart(fhs[0])
			if err != nil {
				return nil, nil, fmt.Errorf("parse multipart body: %w", err)
			}
			if files == nil {
				files = map[string]upload{}
			}
			files[k] = upload{name: fhs[0].Filename, data: data}
		}
	case "application/x-www-form-urlencoded":
		values, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, nil, fmt.Errorf("parse form body: %w", err)
		}
		for k, v := range values {
			p[k] = v[0]
		}
	case "application/json":
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(body, &obj); err != nil {
			return nil, nil, fmt.Errorf("parse JSON body: %w", err)
		}
		for k, raw := range obj {
			var s string
			switch {
			case bytes.Equal(raw, []byte("null")):
				continue
			case json.Unmarshal(raw, &s) == nil:
				p[k] = s
			default:
				p[k] = string(raw)
			}
		}
	}
	return p, files, nil
}

// readFilePart reads one file part of a multipart form.
func readFilePart(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// int64 returns the integer parameter name: 0, true if absent; false if
// present but not an integer.
func (p params) int64(name string) (int64, bool) {
	s := strings.TrimSpace(p[name])
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// int is int64 for parameters that fit an int.
func (p params) int(name string) (int, bool) {
	n, ok := p.int64(name)
	if !ok || n != int64(int(n)) {
		return 0, false
	}
	return int(n), true
}

// bool reads a flag the way the Bot API does: "true" (any case) or "1".
func (p params) bool(name string) bool {
	s := strings.TrimSpace(p[name])
	return strings.EqualFold(s, "true") || s == "1"
}

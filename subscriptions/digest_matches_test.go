package subscriptions

import (
	"slices"
	"testing"
)

func TestParseDigestMatches(t *testing.T) {
	tests := []struct {
		name    string
		list    string
		want    []digestRow
		wantErr bool
	}{
		{name: "none", list: ""},
		{name: "one", list: "7,3,5,Storm", want: []digestRow{{due: 2, entry: 7, sub: 3, label: "Storm"}}},
		{name: "commas and digits in labels", list: "7,3,6,a,1,2b,8,4,3,,,,,9,5,0,", want: []digestRow{
			{due: 2, entry: 7, sub: 3, label: "a,1,2b"},
			{due: 2, entry: 8, sub: 4, label: ",,,", seq: 1},
			{due: 2, entry: 9, sub: 5, label: "", seq: 2},
		}},
		{name: "lengths are bytes", list: "1,2,10,Київ,3", want: []digestRow{{due: 2, entry: 1, sub: 2, label: "Київ,3"}}},
		{name: "label cut short", list: "1,2,9,abc", wantErr: true},
		{name: "no comma after a label", list: "1,2,1,ab,3,1,x", wantErr: true},
		{name: "cut short in the numbers", list: "1,2", wantErr: true},
		{name: "not a number", list: "1,x,1,a", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseDigestMatches(nil, 2, tt.list)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && !slices.Equal(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

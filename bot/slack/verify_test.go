package slack

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"
)

type signingVector struct {
	Secret    string `json:"signing_secret"`
	Timestamp string `json:"timestamp"`
	Body      string `json:"body"`
	Signature string `json:"signature"`
}

func loadVector(t *testing.T) signingVector {
	t.Helper()
	b, err := os.ReadFile("../../../shared/vectors/slack-signing.json")
	if err != nil {
		t.Skipf("Slack's signing example is not beside the repository (%v); it lives in shared/vectors", err)
	}
	var v signingVector
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func header(ts, sig string) http.Header {
	h := http.Header{}
	h.Set("X-Slack-Request-Timestamp", ts)
	h.Set("X-Slack-Signature", sig)
	return h
}

// Slack's documented example must verify at its own timestamp, and any
// change to what was signed must not.
func TestVerifierSlackExample(t *testing.T) {
	v := loadVector(t)
	secs, _ := strconv.ParseInt(v.Timestamp, 10, 64)
	at := time.Unix(secs, 0)
	ver := Verifier{Secret: v.Secret, Now: func() time.Time { return at }}
	if err := ver.Verify(header(v.Timestamp, v.Signature), []byte(v.Body)); err != nil {
		t.Fatalf("the documented example was refused: %v", err)
	}
	if got := Sign(v.Secret, v.Timestamp, []byte(v.Body)); got != v.Signature {
		t.Fatalf("Sign = %s, want %s", got, v.Signature)
	}
	// Every byte of the body, flipped in turn.
	for i := range len(v.Body) {
		b := []byte(v.Body)
		b[i] ^= 0x01
		if err := ver.Verify(header(v.Timestamp, v.Signature), b); !errors.Is(err, ErrBadSignature) {
			t.Fatalf("body byte %d changed: err = %v, want a signature mismatch", i, err)
		}
	}
	// Every byte of the signature.
	for i := range len(v.Signature) {
		s := []byte(v.Signature)
		s[i] ^= 0x01
		if err := ver.Verify(header(v.Timestamp, string(s)), []byte(v.Body)); err == nil {
			t.Fatalf("signature byte %d changed and still accepted", i)
		}
	}
	// Every digit of the timestamp (the clock moves with it, so only the
	// signature can catch the change).
	for i := range len(v.Timestamp) {
		ts := []byte(v.Timestamp)
		ts[i] = '0' + (ts[i]-'0'+1)%10
		n, _ := strconv.ParseInt(string(ts), 10, 64)
		moved := Verifier{Secret: v.Secret, Now: func() time.Time { return time.Unix(n, 0) }}
		if err := moved.Verify(header(string(ts), v.Signature), []byte(v.Body)); !errors.Is(err, ErrBadSignature) {
			t.Fatalf("timestamp digit %d changed: err = %v, want a signature mismatch", i, err)
		}
	}
	// Outside the window either way, the genuine request is refused; at the
	// edge it is still accepted.
	for _, d := range []time.Duration{ReplayWindow + time.Second, -ReplayWindow - time.Second, 24 * time.Hour} {
		late := Verifier{Secret: v.Secret, Now: func() time.Time { return at.Add(d) }}
		if err := late.Verify(header(v.Timestamp, v.Signature), []byte(v.Body)); !errors.Is(err, ErrStale) {
			t.Errorf("clock off by %v: err = %v, want stale", d, err)
		}
	}
	edge := Verifier{Secret: v.Secret, Now: func() time.Time { return at.Add(ReplayWindow) }}
	if err := edge.Verify(header(v.Timestamp, v.Signature), []byte(v.Body)); err != nil {
		t.Errorf("at exactly five minutes the request was refused: %v", err)
	}
	wrongSecret := Verifier{Secret: v.Secret + "x", Now: ver.Now}
	if err := wrongSecret.Verify(header(v.Timestamp, v.Signature), []byte(v.Body)); !errors.Is(err, ErrBadSignature) {
		t.Errorf("another secret verified the example: %v", err)
	}
	for _, h := range []http.Header{{}, header("", v.Signature), header(v.Timestamp, ""), header("soon", v.Signature)} {
		if err := ver.Verify(h, []byte(v.Body)); !errors.Is(err, ErrNoSignature) {
			t.Errorf("headers %v: err = %v, want missing signature", h, err)
		}
	}
}

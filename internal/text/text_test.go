package text

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStemJoinsWordFamilies(t *testing.T) {
	families := [][]string{
		{"invalidate", "invalidation", "invalidating", "invalidated", "invalidates"},
		{"retry", "retries", "retried"},
		{"idempotent", "idempotency", "idempotence"},
		{"replicate", "replication", "replicated", "replicas", "replica"},
		{"shard", "shards", "sharding", "sharded"},
		{"expire", "expires", "expiry", "expired", "expiring"},
		{"cache", "caches", "caching", "cached"},
		{"index", "indexes", "indices", "indexing"},
		{"add", "adding", "added", "adds"},
	}
	for _, fam := range families {
		want := stemOf(fam[0])
		for _, w := range fam[1:] {
			if got := stemOf(w); got != want {
				t.Errorf("stem(%q) = %q, want %q (same as %q)", w, got, want, fam[0])
			}
		}
	}
}

func TestStemKeepsDistinctWordsApart(t *testing.T) {
	pairs := [][2]string{{"read", "ready"}, {"write", "white"}, {"lock", "look"}, {"post", "put"}}
	for _, p := range pairs {
		if stemOf(p[0]) == stemOf(p[1]) {
			t.Errorf("stem(%q) == stem(%q) = %q", p[0], p[1], stemOf(p[0]))
		}
	}
}

func TestTokenizeKindsAndOffsets(t *testing.T) {
	s := "POST isn't idempotent; the LB doesn't retry write-through."
	toks := Tokenize(s)
	var words []string
	for _, tk := range toks {
		words = append(words, tk.Word)
		if tk.Word != "load" && tk.Word != "balancer" && s[tk.Start:tk.End] == "" {
			t.Errorf("token %q has empty span", tk.Word)
		}
	}
	want := []string{"post", "isn't", "idempotent", "the", "load", "balancer", "doesn't", "retry", "write", "through"}
	if len(words) != len(want) {
		t.Fatalf("words = %q, want %q", words, want)
	}
	for i := range want {
		if words[i] != want[i] {
			t.Fatalf("words = %q, want %q", words, want)
		}
	}
	if toks[1].Kind != Negator || toks[6].Kind != Negator {
		t.Errorf("negators not marked: %+v %+v", toks[1], toks[6])
	}
	if toks[3].Kind != Small || toks[0].Kind != Content {
		t.Errorf("kinds wrong: %+v %+v", toks[3], toks[0])
	}
	if got := s[toks[4].Start:toks[4].End]; got != "LB" {
		t.Errorf("expansion offsets point at %q, want LB", got)
	}
}

func TestInequalitySignIsANegator(t *testing.T) {
	for _, s := range []string{"2x the box != 2x the throughput", "2x the box =/= 2x the throughput", "2x the box ≠ 2x the throughput"} {
		toks := Tokenize(s)
		var neg *Token
		for i := range toks {
			if toks[i].Kind == Negator {
				neg = &toks[i]
			}
		}
		if neg == nil {
			t.Errorf("%q: no negator among %+v", s, toks)
			continue
		}
		if span := s[neg.Start:neg.End]; strings.Trim(span, "!=/≠") != "" {
			t.Errorf("%q: negator spans %q, want the sign", s, span)
		}
	}
	if toks := Tokenize("a == b, x = y"); slices.ContainsFunc(toks, func(t Token) bool { return t.Kind == Negator }) {
		t.Errorf("equality read as a negation: %+v", toks)
	}
}

func TestSentences(t *testing.T) {
	s := "First one. Second, e.g. v1.2 stays!\n- bullet item\n\nlast"
	var got []string
	for _, sp := range Sentences(s) {
		got = append(got, s[sp.Start:sp.End])
	}
	want := []string{"First one.", "Second, e.g.", "v1.2 stays!", "bullet item", "last"}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}

func TestCleanAndTruncate(t *testing.T) {
	dirty := "ok\x00\x1b[31mred\r\nline\xff\xfeend"
	c := Clean(dirty)
	if !utf8.ValidString(c) {
		t.Fatalf("Clean left invalid UTF-8: %q", c)
	}
	if c != "ok[31mred\nline\uFFFDend" {
		t.Errorf("Clean = %q", c)
	}
	s, cut := Truncate("héllo", 2)
	if !cut || s != "h" {
		t.Errorf("Truncate split a rune: %q %v", s, cut)
	}
	if s, cut := Truncate("abc", 8); cut || s != "abc" {
		t.Errorf("Truncate changed a short string")
	}
}

func FuzzTokenize(f *testing.F) {
	f.Add("POST isn't idempotent; the LB doesn't retry.")
	f.Add("\xff\xfe'''--")
	f.Fuzz(func(t *testing.T, s string) {
		for _, tk := range Tokenize(s) {
			if tk.Start < 0 || tk.End > len(s) || tk.Start >= tk.End {
				t.Fatalf("bad span %+v in %q", tk, s)
			}
		}
		for _, sp := range Sentences(s) {
			if sp.Start >= sp.End || sp.End > len(s) {
				t.Fatalf("bad sentence %+v in %q", sp, s)
			}
		}
		_ = Clean(s)
	})
}

func TestLowerASCIIKeepsOffsetsAndWordsKeepApostrophes(t *testing.T) {
	in := "Ünïcode STAYS, You're RIGHT"
	out := LowerASCII(in)
	if len(out) != len(in) || out != "Ünïcode stays, you're right" {
		t.Errorf("LowerASCII(%q) = %q", in, out)
	}
	got := strings.Join(Words(out), "|")
	if got != "Ünïcode|stays|you're|right" {
		t.Errorf("Words = %q", got)
	}
}

func TestJaccard(t *testing.T) {
	set := func(ws ...string) map[string]bool {
		m := map[string]bool{}
		for _, w := range ws {
			m[w] = true
		}
		return m
	}
	cases := []struct {
		a, b map[string]bool
		want float64
	}{
		{set("retry", "backoff"), set("retry", "backoff"), 1},
		{set("retry", "backoff"), set("retry", "jitter"), 1.0 / 3},
		{set("retry"), set("cache"), 0},
		{set(), set(), 0},
	}
	for _, c := range cases {
		if got := Jaccard(c.a, c.b); got != c.want {
			t.Errorf("Jaccard(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

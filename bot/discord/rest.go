package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// Secret is the bot token: it prints and logs redacted.
type Secret string

// LogValue keeps the token out of logs.
func (Secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// String keeps the token out of formatted errors.
func (Secret) String() string { return "[redacted]" }

// rewrite sends requests meant for discord.com to another base (a proxy,
// or the fake Discord in tests). discordgo builds its URLs from package
// constants, so the transport is the one place to redirect a single
// session without touching the others.
type rewrite struct {
	base *url.URL
	next http.RoundTripper
}

func (r rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != "discord.com" {
		return r.next.RoundTrip(req)
	}
	out := req.Clone(req.Context())
	u := *req.URL
	u.Scheme, u.Host = r.base.Scheme, r.base.Host
	u.Path = strings.TrimSuffix(r.base.Path, "/") + u.Path
	u.RawPath = ""
	out.URL, out.Host = &u, ""
	return r.next.RoundTrip(out)
}

// ParseAPIURL checks a DISCORD_API_URL value: an http(s) base such as
// https://discord.com.
func ParseAPIURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return nil, errors.New("must be an http(s) base URL like https://discord.com")
	}
	return u, nil
}

// httpClient returns a client whose requests for discord.com go to base
// when it is set.
func httpClient(base *url.URL, c *http.Client) *http.Client {
	out := *c
	if base == nil {
		return &out
	}
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	out.Transport = rewrite{base: base, next: next}
	return &out
}

var (
	reToken = regexp.MustCompile(`/(interactions|webhooks)/(\d+)/[^/?]+`)
	reID    = regexp.MustCompile(`/\d{5,}`)
)

// routeOf names a request URL without its ids and, above all, without an
// interaction token (which would let anyone reading the log answer as the
// bot for 15 minutes).
func routeOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "unknown"
	}
	p := strings.TrimPrefix(u.Path, "/api/v"+discordgo.APIVersion)
	p = reToken.ReplaceAllString(p, "/$1/{id}/{token}")
	return reID.ReplaceAllString(p, "/{id}")
}

// restStatus is the HTTP status and Discord error code of a failed call.
func restStatus(err error) (status, code int) {
	var re *discordgo.RESTError
	if errors.As(err, &re) {
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		if re.Message != nil {
			code = re.Message.Code
		}
	}
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) {
		status = http.StatusTooManyRequests
	}
	return status, code
}

// safeError describes a failed call for the log without the request URL,
// which may hold an interaction token.
func safeError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Op + " " + routeOf(ue.URL) + ": " + ue.Err.Error()
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) {
		if re.Message != nil {
			return fmt.Sprintf("HTTP %d: %s (code %d)", re.Response.StatusCode, re.Message.Message, re.Message.Code)
		}
		return fmt.Sprintf("HTTP %d", re.Response.StatusCode)
	}
	return err.Error()
}

// call runs one REST request with ctx and logs a failure with its route
// and channel. discordgo waits out rate limits itself (and retries a 429),
// so an error here is one that waiting did not fix.
func (a *Adapter) call(ctx context.Context, route, channel string, fn func(opts ...discordgo.RequestOption) error) error {
	err := fn(discordgo.WithContext(ctx))
	if err != nil && ctx.Err() == nil {
		status, code := restStatus(err)
		a.log.Warn("discord request failed", "route", route, "channel", channel, "status", status, "code", code, "err", safeError(err))
	}
	return err
}

// onRateLimit logs each 429 discordgo is waiting out.
func (a *Adapter) onRateLimit(_ *discordgo.Session, rl *discordgo.RateLimit) {
	args := []any{"route", routeOf(rl.URL)}
	if rl.TooManyRequests != nil {
		args = append(args, "retry_after", rl.RetryAfter.String(), "bucket", rl.Bucket)
	}
	if m := reChannel.FindStringSubmatch(rl.URL); m != nil {
		args = append(args, "channel", m[1])
	}
	a.log.Info("discord rate limit; waiting before retrying", args...)
}

var reChannel = regexp.MustCompile(`/channels/(\d+)`)

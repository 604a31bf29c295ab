package bot

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/store"
)

func TestStatsPNGDecodesAndIsNotBlank(t *testing.T) {
	today := time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC)
	activity := map[string]int{"2026-06-10": 3, "2026-06-09": 1, "2026-05-01": 2}
	topics := []store.TopicScore{{Topic: "caching", Average: 7.5, Count: 4}, {Topic: "rest", Average: 4, Count: 2}}
	data, err := StatsPNG(activity, topics, today)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	b := img.Bounds()
	if b.Dx() < 800 || b.Dy() < 300 {
		t.Errorf("image is %dx%d", b.Dx(), b.Dy())
	}
	colours := map[[3]uint32]int{}
	green := 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, bl >> 8}]++
			if g>>8 > 100 && r>>8 < 80 && bl>>8 < 100 {
				green++
			}
		}
	}
	if len(colours) < 5 {
		t.Errorf("image has %d colours: blank?", len(colours))
	}
	if green == 0 {
		t.Error("no practised day or score bar drawn in green")
	}
}

func TestStatsPNGWithNoPractice(t *testing.T) {
	if _, err := StatsPNG(nil, nil, time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatalf("empty stats: %v", err)
	}
}

func TestStatsCommandAttachesAPicture(t *testing.T) {
	app := newTestApp(t)
	w := Who{Platform: "test", Team: "T1", Channel: "C1", User: "U/../1", Name: "una"}
	msgs := app.HandleCommand(context.Background(), w, Command{Name: "stats"})
	if len(msgs) != 1 || msgs[0].Attachment == nil || msgs[0].Attachment.Type != "image/png" {
		t.Fatalf("stats = %+v", msgs)
	}
	if name := msgs[0].Attachment.Name; strings.ContainsAny(name, "/\\.") && !strings.HasSuffix(name, ".png") || strings.Contains(name, "..") {
		t.Errorf("unsafe file name %q", name)
	}
	if _, err := png.Decode(bytes.NewReader(msgs[0].Attachment.Data)); err != nil {
		t.Errorf("attachment is not a PNG: %v", err)
	}
}

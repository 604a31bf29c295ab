package bot

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/interviewbot/interviewbot/store"
)

// statsWeeks is how far back the practice heatmap reaches.
const statsWeeks = 12

// activityGrid is the heatmap's data: columns are weeks (oldest first),
// rows are weekdays (Monday at the top).
type activityGrid struct {
	counts [statsWeeks][7]float64
}

func (g *activityGrid) Dims() (c, r int)   { return statsWeeks, 7 }
func (g *activityGrid) Z(c, r int) float64 { return g.counts[c][r] }
func (g *activityGrid) X(c int) float64    { return float64(c) }
func (g *activityGrid) Y(r int) float64    { return float64(r) }

// greens runs from an empty-day grey to a deep green.
type greens struct{}

func (greens) Colors() []color.Color {
	return []color.Color{
		color.RGBA{235, 237, 240, 255}, color.RGBA{155, 233, 168, 255},
		color.RGBA{64, 196, 99, 255}, color.RGBA{48, 161, 78, 255}, color.RGBA{33, 110, 57, 255},
	}
}

// StatsPNG draws a user's last twelve weeks of practice as a heatmap and
// their average score per topic as bars, side by side.
func StatsPNG(activity map[string]int, topics []store.TopicScore, today time.Time) ([]byte, error) {
	grid := &activityGrid{}
	// The last column is the current week, Monday to Sunday.
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	start := monday.AddDate(0, 0, -7*(statsWeeks-1))
	most := 0.0
	for c := range statsWeeks {
		for r := range 7 {
			n := float64(activity[start.AddDate(0, 0, 7*c+r).Format(time.DateOnly)])
			grid.counts[c][6-r] = n // row 6 is Monday, drawn at the top
			most = max(most, n)
		}
	}
	heat := plot.New()
	heat.Title.Text = "Practice, last 12 weeks"
	hm := plotter.NewHeatMap(grid, greens{})
	hm.Min, hm.Max = 0, max(most, 1)
	heat.Add(hm)
	var dayTicks []plot.Tick
	for r, name := range []string{"Sun", "Sat", "Fri", "Thu", "Wed", "Tue", "Mon"} {
		dayTicks = append(dayTicks, plot.Tick{Value: float64(r), Label: name})
	}
	heat.Y.Tick.Marker = plot.ConstantTicks(dayTicks)
	var weekTicks []plot.Tick
	for c := 0; c < statsWeeks; c += 3 {
		weekTicks = append(weekTicks, plot.Tick{Value: float64(c), Label: start.AddDate(0, 0, 7*c).Format("Jan 2")})
	}
	heat.X.Tick.Marker = plot.ConstantTicks(weekTicks)

	bars := plot.New()
	bars.Title.Text = "Average score by topic"
	bars.Y.Min, bars.Y.Max = 0, 10
	bars.Y.Label.Text = "score / 10"
	values := make(plotter.Values, len(topics))
	names := make([]string, len(topics))
	for i, t := range topics {
		values[i], names[i] = t.Average, t.Topic
	}
	if len(topics) > 0 {
		bc, err := plotter.NewBarChart(values, vg.Points(18))
		if err != nil {
			return nil, fmt.Errorf("stats bars: %w", err)
		}
		bc.Color = color.RGBA{48, 161, 78, 255}
		bars.Add(bc)
		bars.NominalX(names...)
		bars.X.Tick.Label.Rotation = 0.6
		bars.X.Tick.Label.XAlign = draw.XRight
	}

	const width, height = 12 * vg.Inch, 4.5 * vg.Inch
	img := vgimg.New(width, height)
	dc := draw.New(img)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Millimeter * 6, PadY: vg.Millimeter * 4, PadTop: vg.Millimeter * 3, PadBottom: vg.Millimeter * 3, PadLeft: vg.Millimeter * 3, PadRight: vg.Millimeter * 3}
	canvases := plot.Align([][]*plot.Plot{{heat, bars}}, tiles, dc)
	heat.Draw(canvases[0][0])
	bars.Draw(canvases[0][1])
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("stats png: %w", err)
	}
	return buf.Bytes(), nil
}

func (a *App) stats(ctx context.Context, w Who) []Message {
	user, err := a.Store.EnsureUser(ctx, w.identity())
	if err != nil {
		return a.failure(ctx, "stats", w, err)
	}
	today := a.Now().In(a.userLocation(ctx, user, w))
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	activity, err := a.Store.ActivityByDay(ctx, user.ID, day.AddDate(0, 0, -7*statsWeeks).Format(time.DateOnly))
	if err != nil {
		return a.failure(ctx, "stats", w, err)
	}
	topics, err := a.Store.ScoresByTopic(ctx, user.ID)
	if err != nil {
		return a.failure(ctx, "stats", w, err)
	}
	png, err := StatsPNG(activity, topics, day)
	if err != nil {
		return a.failure(ctx, "stats", w, err)
	}
	total := 0
	for _, n := range activity {
		total += n
	}
	m := Note(fmt.Sprintf("Your practice: %d graded answers in the last %d weeks, %d topics tried.", total, statsWeeks, len(topics)))
	m.Attachment = &File{Name: "interviewbot-stats-" + safeName(w.User) + ".png", Type: "image/png", Data: png}
	return []Message{m}
}

// safeName keeps a file name to letters, digits, dash and underscore.
func safeName(s string) string {
	out := []rune{}
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return "user"
	}
	return string(out)
}

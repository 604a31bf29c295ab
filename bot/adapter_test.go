package bot

import (
	"testing"
	"time"
)

func TestAdapterWorkDefaultsKeepWhatIsSet(t *testing.T) {
	w := AdapterWork{Workers: 1, Grace: time.Second}.WithDefaults()
	if w.Workers != 1 || w.Grace != time.Second || w.MaxQueued != 2000 || w.EventTTL != 48*time.Hour || w.Log == nil || w.Now == nil {
		t.Fatalf("defaults: %+v", w)
	}
}

func TestFirstTimeAnswersOncePerKey(t *testing.T) {
	var f FirstTime
	if !f.First("t/u") || f.First("t/u") || !f.First("t/v") {
		t.Fatal("FirstTime did not answer true exactly once per key")
	}
}

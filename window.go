//go:build !headless

package main

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"sync/atomic"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/mezhved/mezhved/app"
	"github.com/mezhved/mezhved/store"
)

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

// wailsEvents sends app events through the Wails runtime. It is made only
// here, with the context Wails gives at start-up: runtime calls with any
// other context stop the process.
type wailsEvents struct {
	ctx      context.Context
	notifier bool // desktop notifications are available
	seq      atomic.Int64
}

func (e *wailsEvents) start(ctx context.Context) {
	e.ctx = ctx
	if err := runtime.InitializeNotifications(ctx); err == nil {
		e.notifier = runtime.IsNotificationAvailable(ctx)
	}
}

func (e *wailsEvents) Emit(name string, data any) {
	if e.ctx != nil {
		runtime.EventsEmit(e.ctx, name, data)
	}
}

// Notify shows a message in the window and, where the desktop has a
// notification service, as a desktop notification too.
func (e *wailsEvents) Notify(title, body string) {
	e.Emit("notify", map[string]string{"title": title, "body": body})
	if e.ctx != nil && e.notifier {
		id := fmt.Sprintf("mezhved-%d", e.seq.Add(1))
		runtime.SendNotification(e.ctx, runtime.NotificationOptions{ID: id, Title: title, Body: body})
	}
}

// SaveFileDialog asks where to save a file (the system's dialog).
func (e *wailsEvents) SaveFileDialog(title, name string) (string, error) {
	if e.ctx == nil {
		return "", fmt.Errorf("the window is not ready")
	}
	return runtime.SaveFileDialog(e.ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: name,
		Filters: []runtime.FileFilter{{DisplayName: "Документ PDF (*.pdf)", Pattern: "*.pdf"}}})
}

// OpenFileDialog asks for a file to read (the system's dialog).
func (e *wailsEvents) OpenFileDialog(title, filterName, pattern string) (string, error) {
	if e.ctx == nil {
		return "", fmt.Errorf("the window is not ready")
	}
	return runtime.OpenFileDialog(e.ctx, runtime.OpenDialogOptions{Title: title,
		Filters: []runtime.FileFilter{{DisplayName: filterName, Pattern: pattern}}})
}

// OpenDirectoryDialog asks for a folder (a CryptoPro container, the
// region's kit): app.FolderDialog.
func (e *wailsEvents) OpenDirectoryDialog(title string) (string, error) {
	if e.ctx == nil {
		return "", fmt.Errorf("the window is not ready")
	}
	return runtime.OpenDirectoryDialog(e.ctx, runtime.OpenDialogOptions{Title: title})
}

// OpenFile opens a file in the system's viewer for it.
func (e *wailsEvents) OpenFile(path string) error {
	if e.ctx == nil {
		return fmt.Errorf("the window is not ready")
	}
	runtime.BrowserOpenURL(e.ctx, (&url.URL{Scheme: "file", Path: path}).String())
	return nil
}

// fitToScreen makes the window fit the screen it opened on (fitWindow).
func fitToScreen(ctx context.Context) {
	screens, err := runtime.ScreenGetAll(ctx)
	if err != nil {
		return
	}
	for _, s := range screens {
		if !s.IsCurrent {
			continue
		}
		if w, h, changed := fitWindow(s.Size.Width, s.Size.Height); changed {
			runtime.WindowSetSize(ctx, w, h)
			runtime.WindowCenter(ctx)
		}
		return
	}
}

// runWindow opens the clerk's window on the data directory chosen by
// $MEZHVED_DATA_DIR or the OS convention.
func runWindow() int {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if _, err := fs.Stat(assets, "frontend/dist/index.html"); err != nil {
		fmt.Fprintln(os.Stderr, "mezhved: this binary was built without the window's pages; build it with `make build`.")
		return 2
	}
	// The window's pages are light and need no GPU (WebviewGpuPolicyNever
	// below): JavaScriptCore's JIT, WebKit's DMA-BUF renderer and GTK's GL
	// only cost memory here, about 18 MB together (docs/PERFORMANCE.md).
	// A variable the user set is left as it is.
	for k, v := range map[string]string{"JSC_useJIT": "false", "WEBKIT_DISABLE_DMABUF_RENDERER": "1", "GDK_GL": "disable"} {
		if _, set := os.LookupEnv(k); !set {
			os.Setenv(k, v)
		}
	}
	dir, explicit := store.ResolveDir("", os.Getenv)
	events := &wailsEvents{}
	cfg := app.Config{DataDir: dir, Explicit: explicit, Log: log, Events: events, Desktop: events, Started: processStart}
	// MEZHVED_TRAINING_DELAY makes the training node answer faster (tests).
	if d, err := time.ParseDuration(os.Getenv("MEZHVED_TRAINING_DELAY")); err == nil && d > 0 {
		cfg.TrainingDelay = d
	}
	a := app.New(cfg)
	err := wails.Run(&options.App{
		Title:            "Межвед — межведомственные запросы",
		Width:            windowWidth,
		Height:           windowHeight,
		MinWidth:         windowMinW,
		MinHeight:        windowMinH,
		BackgroundColour: &options.RGBA{R: 247, G: 246, B: 242, A: 255},
		AssetServer:      &assetserver.Options{Assets: assets},
		OnStartup: func(ctx context.Context) {
			events.start(ctx)
			a.Start(ctx) // a failure is shown in the window by every call
		},
		OnDomReady: fitToScreen,
		OnShutdown: func(context.Context) { a.Stop() },
		Bind:       a.Services(),
		// No GPU compositing: a clerk's journal needs none, and WebKit then
		// holds about 90 MB less (docs/PERFORMANCE.md).
		Linux: &linux.Options{Icon: icon, ProgramName: "mezhved", WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "mezhved: the window could not open: %v\n", err)
		return 2
	}
	return 0
}

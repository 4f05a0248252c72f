package softtoken

import (
	"bufio"
	"bytes"
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/mezhved/mezhved/internal/fsutil"
)

// Environment variables the module reads at C_Initialize.
const (
	EnvDir   = "MEZHVED_PKCS11_DIR"   // the token storage directory
	EnvConf  = "MEZHVED_PKCS11_CONF"  // a configuration file (see LoadConfig)
	EnvSlots = "MEZHVED_PKCS11_SLOTS" // the number of slots
	EnvTries = "MEZHVED_PKCS11_PIN_TRIES"
)

// Config says where the tokens live and how they behave.
type Config struct {
	Dir      string // the storage: slot N's token is the directory Dir/slotN
	Slots    int    // slots (readers), 1..32; default 4
	PINTries int    // wrong PINs in a row before a PIN locks, 3..15; default 10
}

const (
	maxSlots      = 32
	maxConfigFile = 64 << 10
)

// LoadConfig reads the configuration: the file named by MEZHVED_PKCS11_CONF
// when set (lines "key = value", # comments; keys dir, slots, pin_tries),
// then the environment (MEZHVED_PKCS11_DIR, MEZHVED_PKCS11_SLOTS,
// MEZHVED_PKCS11_PIN_TRIES), which wins. Without a dir anywhere the tokens
// live in the data directory's pkcs11 folder ($MEZHVED_DATA_DIR/pkcs11, else
// $XDG_DATA_HOME/mezhved/pkcs11, %APPDATA%\Mezhved\pkcs11, ~/Library/Application
// Support/Mezhved/pkcs11).
func LoadConfig(getenv func(string) string) (Config, error) {
	cfg := Config{Slots: 4, PINTries: 10}
	if path := getenv(EnvConf); path != "" {
		if err := cfg.readFile(path); err != nil {
			return Config{}, err
		}
	}
	if v := getenv(EnvDir); v != "" {
		cfg.Dir = v
	}
	for _, kv := range []struct{ key, env string }{{"slots", EnvSlots}, {"pin_tries", EnvTries}} {
		if v := getenv(kv.env); v != "" {
			if err := cfg.set(kv.key, v); err != nil {
				return Config{}, err
			}
		}
	}
	if cfg.Dir == "" {
		cfg.Dir = defaultDir(getenv)
	}
	if cfg.Dir == "" {
		return Config{}, fmt.Errorf("no token directory: set %s", EnvDir)
	}
	cfg.Dir = filepath.Clean(cfg.Dir)
	return cfg, nil
}

func (c *Config) readFile(path string) error {
	data, err := fsutil.ReadFileLimited(path, maxConfigFile)
	if err != nil {
		return err
	}
	if len(data) > maxConfigFile {
		return fmt.Errorf("%s: too large", path)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return fmt.Errorf("%s:%d: want key = value", path, n)
		}
		if err := c.set(strings.TrimSpace(k), strings.TrimSpace(v)); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	return nil
}

func (c *Config) set(key, val string) error {
	switch key {
	case "dir":
		c.Dir = val
		return nil
	case "slots", "pin_tries":
		n, err := strconv.Atoi(val)
		lo, hi := 1, maxSlots
		if key == "pin_tries" {
			lo, hi = 3, 15
		}
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("%s: want a number %d..%d", key, lo, hi)
		}
		if key == "slots" {
			c.Slots = n
		} else {
			c.PINTries = n
		}
		return nil
	}
	return fmt.Errorf("unknown key %q", key)
}

func defaultDir(getenv func(string) string) string {
	if d := getenv("MEZHVED_DATA_DIR"); d != "" {
		return filepath.Join(d, "pkcs11")
	}
	switch runtime.GOOS {
	case "windows":
		if d := getenv("APPDATA"); d != "" {
			return filepath.Join(d, "Mezhved", "pkcs11")
		}
	case "darwin":
		if h := getenv("HOME"); h != "" {
			return filepath.Join(h, "Library", "Application Support", "Mezhved", "pkcs11")
		}
	default:
		if d := getenv("XDG_DATA_HOME"); d != "" {
			return filepath.Join(d, "mezhved", "pkcs11")
		}
		if h := getenv("HOME"); h != "" {
			return filepath.Join(h, ".local", "share", "mezhved", "pkcs11")
		}
	}
	return ""
}

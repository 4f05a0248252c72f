package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// DefaultConfig is where the package installs the server's settings.
const DefaultConfig = "/etc/mezhved-region/region.conf"

// envConfig names another settings file; set and empty, none is read.
const envConfig = "MEZHVED_REGION_CONFIG"

// configKeys are the settings the file may hold: the defaults of the flags
// of the same names.
var configKeys = map[string]bool{"state": true, "db": true, "listen": true, "region": true, "host": true}

// maxConfig bounds the settings file.
const maxConfig = 64 << 10

// readConfig reads the settings file: "key = value" lines, # comments,
// blank lines. A missing default file is no settings; a file named by
// $MEZHVED_REGION_CONFIG must exist. Unknown keys and malformed lines are
// refused with their line number, so that a typing mistake is not silently
// ignored.
func readConfig() (map[string]string, string, error) {
	path, named := os.LookupEnv(envConfig)
	if named && path == "" {
		return map[string]string{}, "", nil
	}
	if !named {
		path = DefaultConfig
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) && !named {
		return map[string]string{}, "", nil
	}
	data, err := readBounded(path, maxConfig)
	if err != nil {
		return nil, path, err
	}
	conf, err := parseConfig(data)
	if err != nil {
		return nil, path, fmt.Errorf("файл настроек %s: %w", path, err)
	}
	return conf, path, nil
}

func parseConfig(data []byte) (map[string]string, error) {
	conf := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		k, v, ok := strings.Cut(text, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return nil, fmt.Errorf("строка %d: ожидается «ключ = значение»", line)
		}
		if !configKeys[k] {
			return nil, fmt.Errorf("строка %d: неизвестный ключ %q (известны: state, db, listen, region, host)", line, k)
		}
		if _, dup := conf[k]; dup {
			return nil, fmt.Errorf("строка %d: ключ %q задан дважды", line, k)
		}
		conf[k] = v
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return conf, nil
}

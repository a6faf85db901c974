// Command ferretdb starts the embedded FerretDB (SQLite backend) that Linli uses for the demo, the
// tests and the benchmarks. It imports FerretDB's embeddable package so that no build metadata file
// is needed, listens on loopback only, and stops cleanly on SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27117", "TCP address to listen on (loopback)")
	dataDir := flag.String("data", ".data/db", "directory for the SQLite files")
	logLevel := flag.String("log-level", "error", "debug, info, warn or error")
	flag.Parse()

	abs, err := filepath.Abs(*dataDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb: bad data directory:", err)
		os.Exit(2)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb: cannot create data directory:", err)
		os.Exit(2)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		level = slog.LevelWarn
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// FerretDB itself listens on a private Unix socket; clients reach it through the write-serializing
	// front on the TCP address (see proxy.go).
	sockDir, err := os.MkdirTemp("", "linli-ferretdb-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb: cannot create socket directory:", err)
		os.Exit(2)
	}
	defer os.RemoveAll(sockDir)
	sock := filepath.Join(sockDir, "ferretdb.sock")

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: sock},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	l, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
	go serve(l, func() (net.Conn, error) { return net.Dial("unix", sock) })

	fmt.Fprintf(os.Stderr, "ferretdb: listening on %s, data in %s\n", *listen, abs)
	runErr := f.Run(ctx)
	l.Close()
	if runErr != nil && ctx.Err() == nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", runErr)
		os.RemoveAll(sockDir)
		os.Exit(1)
	}
}

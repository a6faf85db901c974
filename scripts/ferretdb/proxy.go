package main

// FerretDB 1.24 runs an update (and findAndModify, delete) as a read followed by a separate write, so
// two conditional updates of one document can both succeed (FerretDB issue #3040). MongoDB makes every
// single-document write atomic, and Linli's invariants rest on that (DESIGN.md). This front serializes
// the write commands that FerretDB receives, which restores MongoDB's per-document atomicity; reads
// pass through concurrently. It speaks only the framing of the wire protocol: it forwards every byte.

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"sync"
)

const (
	opMsg          = 2013
	flagChecksum   = 1 << 0
	flagMoreToCome = 1 << 1
	maxMessage     = 48 << 20
)

// writeCommands are serialized; everything else runs concurrently.
var writeCommands = map[string]bool{
	"insert": true, "update": true, "delete": true, "findAndModify": true, "findandmodify": true,
	"create": true, "createIndexes": true, "drop": true, "dropDatabase": true, "dropIndexes": true,
	"renameCollection": true, "collMod": true,
}

var writeMu sync.Mutex

func readMessage(r io.Reader) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := int(binary.LittleEndian.Uint32(hdr[:]))
	if n < 16 || n > maxMessage {
		return nil, errors.New("bad message length")
	}
	msg := make([]byte, n)
	copy(msg, hdr[:])
	if _, err := io.ReadFull(r, msg[4:]); err != nil {
		return nil, err
	}
	return msg, nil
}

func flags(msg []byte) uint32 {
	if len(msg) < 20 || binary.LittleEndian.Uint32(msg[12:16]) != opMsg {
		return 0
	}
	return binary.LittleEndian.Uint32(msg[16:20])
}

// commandName is the first key of the body (kind 0) section of an OP_MSG, or "".
func commandName(msg []byte) string {
	if len(msg) < 21 || binary.LittleEndian.Uint32(msg[12:16]) != opMsg {
		return ""
	}
	end := len(msg)
	if flags(msg)&flagChecksum != 0 {
		end -= 4
	}
	for i := 20; i < end; {
		kind := msg[i]
		i++
		if i+4 > end {
			return ""
		}
		size := int(binary.LittleEndian.Uint32(msg[i : i+4]))
		if size < 5 || i+size > end {
			return ""
		}
		if kind == 0 {
			// BSON document: int32 length, then type byte, then the first key as a C string.
			j := i + 5
			for k := j; k < i+size; k++ {
				if msg[k] == 0 {
					return string(msg[j:k])
				}
			}
			return ""
		}
		i += size
	}
	return ""
}

// serveConn forwards one client connection to FerretDB, request by request.
func serveConn(client net.Conn, dial func() (net.Conn, error)) {
	defer client.Close()
	upstream, err := dial()
	if err != nil {
		return
	}
	defer upstream.Close()
	for {
		req, err := readMessage(client)
		if err != nil {
			return
		}
		if !roundTrip(client, upstream, req) {
			return
		}
	}
}

func roundTrip(client, upstream net.Conn, req []byte) bool {
	if writeCommands[commandName(req)] {
		writeMu.Lock()
		defer writeMu.Unlock()
	}
	if _, err := upstream.Write(req); err != nil {
		return false
	}
	if flags(req)&flagMoreToCome != 0 {
		return true // fire-and-forget request: no reply comes
	}
	for {
		resp, err := readMessage(upstream)
		if err != nil {
			return false
		}
		if _, err := client.Write(resp); err != nil {
			return false
		}
		if flags(resp)&flagMoreToCome == 0 {
			return true
		}
	}
}

// serve accepts on l until it is closed.
func serve(l net.Listener, dial func() (net.Conn, error)) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go serveConn(c, dial)
	}
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildTorque compiles the binary once per test run.
func buildTorque(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "torque")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("build torque: %v", err)
	}
	return bin
}

var servingRE = regexp.MustCompile(`running at (http://\S+)`)

// startTorque runs `torque serve` on a free port and returns its base URL.
func startTorque(t *testing.T, bin, data string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0", "--log-level", "warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		close(found)
	}()
	select {
	case url, ok := <-found:
		if !ok {
			t.Fatal("torque serve exited before serving")
		}
		return cmd, url
	case <-time.After(60 * time.Second):
		t.Fatal("torque serve did not start")
	}
	return nil, ""
}

// TestCrashKeepsAcknowledgedWrites kills the server with SIGKILL while
// clients write, restarts it, and checks that every write the server
// acknowledged is there.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildTorque(t)
	data := t.TempDir()
	if out, err := exec.Command(bin, "init", "--data", data, "--example", "todo").CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	srv, base := startTorque(t, bin, data)
	tasks := base + "/api/v1/apps/todo/entities/Task"

	var (
		mu    sync.Mutex
		acked []string
		wg    sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	client := &http.Client{Timeout: 10 * time.Second}
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				body := fmt.Sprintf(`{"data": {"title": "crash %d-%d", "priority": %d}}`, w, i, i%5+1)
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, tasks, bytes.NewBufferString(body))
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					return // the server is gone
				}
				var e struct{ ID string }
				err = json.NewDecoder(resp.Body).Decode(&e)
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated && err == nil {
					mu.Lock()
					acked = append(acked, e.ID)
					mu.Unlock()
				}
			}
		}()
	}
	// Let writes pile up, then kill the server mid-stream.
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 300 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	srv.Wait()
	cancel()
	wg.Wait()
	if len(acked) < 50 {
		t.Fatalf("only %d writes acknowledged before the kill; want at least 50", len(acked))
	}

	_, base = startTorque(t, bin, data)
	for _, id := range acked {
		resp, err := http.Get(base + "/api/v1/apps/todo/entities/Task/" + id)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("acknowledged task %s after restart: got status %d, want 200", id, resp.StatusCode)
		}
	}
	t.Logf("%d acknowledged writes survived SIGKILL", len(acked))
}

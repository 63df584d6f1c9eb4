package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/torquehq/torque/internal/service"
)

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
	token := createToken(t, bin, data, service.FirstAdminEmail)
	srv := startTorque(t, bin, data)
	tasks := srv.base + "/api/v1/apps/todo/entities/Task"

	var (
		mu      sync.Mutex
		acked   []string
		refused string // the first answer other than 201, to explain too few writes
		wg      sync.WaitGroup
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
				req.Header.Set("Authorization", "Bearer "+token)
				resp, err := client.Do(req)
				if err != nil {
					return // the server is gone
				}
				answer, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				var e struct{ ID string }
				if err == nil && resp.StatusCode == http.StatusCreated {
					err = json.Unmarshal(answer, &e)
				}
				mu.Lock()
				if resp.StatusCode == http.StatusCreated && err == nil {
					acked = append(acked, e.ID)
				} else if refused == "" && err == nil {
					refused = fmt.Sprintf("%d %s", resp.StatusCode, answer)
				}
				mu.Unlock()
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
	srv.stop(t, syscall.SIGKILL)
	cancel()
	wg.Wait()
	if len(acked) < 50 {
		t.Fatalf("only %d writes acknowledged before the kill; want at least 50 (first refusal: %s)", len(acked), refused)
	}

	srv = startTorque(t, bin, data)
	for _, id := range acked {
		req, _ := http.NewRequest(http.MethodGet, srv.base+"/api/v1/apps/todo/entities/Task/"+id, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
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

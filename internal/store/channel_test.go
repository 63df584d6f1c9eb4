package store

import (
	"strings"
	"testing"
)

func TestChannelName(t *testing.T) {
	if got := channelName("public"); got != "torque_events_public" {
		t.Errorf("channelName(public) = %q", got)
	}
	long := strings.Repeat("s", 63)
	if got := channelName(long); len(got) > 63 || got == channelName(long[:62]) {
		t.Errorf("channelName of a 63-byte schema = %q (%d bytes)", got, len(got))
	}
}

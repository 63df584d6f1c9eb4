package service

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/bus"
	"github.com/torquehq/torque/internal/store"
)

// Presence: who is on a model and what they are editing, live. A member
// joins (JoinPresence) with the right to edit the model (presence is the
// Model Editor's, and members see one another's e-mail addresses), says what it edits
// (SetPresence: a short free-form path such as "entities/Task/fields/title")
// and leaves (Presence.Close). Every change wakes the members' streams
// (topic "presence:<model>" of the hub, so rights are checked again as for
// every subscription); a stream's holder then reads the whole member list.
//
// Members live in memory, in the Service's presence. Instances sharing a
// PostgreSQL database tell one another in presence notes on the
// notification channel of the change bus, which RunEvents listens to (see
// notify.go): an instance announces its members when they join or change
// and every PresenceHeartbeat, and every instance keeps every instance's
// members, forgetting those it has not heard of for PresenceExpiry, so the
// members of an instance that crashed disappear. So any instance answers
// for any member: SetPresence of a member another instance holds is
// forwarded to it. On SQLite there is one server process.

// Presence limits and timings.
const (
	// MaxPresenceMembers bounds the members of one model, every instance's
	// counted; MaxPresencePerUser bounds those of one user among them (one
	// per editor tab), so that one user cannot take every place.
	MaxPresenceMembers = 50
	MaxPresencePerUser = 8
	// MaxPresenceEditing bounds what a member says it edits, in bytes.
	MaxPresenceEditing = 200
	// PresenceHeartbeat is how often an instance announces its members to
	// the others; PresenceExpiry is how long they keep a member they have
	// not heard of.
	PresenceHeartbeat = 10 * time.Second
	PresenceExpiry    = 30 * time.Second
)

// KindPresenceChanged is the kind of the events of presence topics.
const KindPresenceChanged = "presence.changed"

// PresenceTopic is the hub topic whose events say the members of the model
// named name changed.
func PresenceTopic(name string) string { return "presence:" + name }

// PresenceMember is one member of a model's presence.
type PresenceMember struct {
	ID      string    `json:"id"`
	UserID  string    `json:"userId"`
	Email   string    `json:"email"`
	Editing string    `json:"editing,omitempty"`
	Since   time.Time `json:"since"` // when it joined
}

// Presence is one member's place on a model, held by whoever joined: C
// says the members changed, Members lists them, Close leaves.
type Presence struct {
	// ID names the member, for SetPresence.
	ID    string
	Model string

	s     *Service
	check func(context.Context) error // the holder's rights, for its streams
	once  sync.Once

	mu     sync.Mutex
	stream *Stream
}

// C receives an event whenever the model's members change; Members then
// lists them (events may be coalesced: read the list, not the events). It
// is closed when the presence ends for a reason Err tells: the holder's
// rights ended, or the server is stopping; or when the holder fell behind
// (bus.ErrLagged), which ends nothing: the events only say "read the list
// again", so the holder calls Resume, reads the list and goes on with the
// channel C then returns.
func (p *Presence) C() <-chan bus.Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stream.C()
}

// Err tells why C was closed (see Stream.Err).
func (p *Presence) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stream.Err()
}

// Resume follows the members' changes again after C was closed because
// the holder fell behind (bus.ErrLagged), keeping its place among them. It
// fails, and the holder ends the presence, when the holder's rights no
// longer hold or the server is stopping.
func (p *Presence) Resume(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !errors.Is(p.stream.Err(), bus.ErrLagged) {
		return fmt.Errorf("resume presence %s: not behind: %w", p.ID, p.stream.Err())
	}
	if err := p.check(ctx); err != nil {
		return err
	}
	sub, err := p.s.hub.Subscribe(PresenceTopic(p.Model), 0)
	if err != nil {
		return err
	}
	p.stream.Close()
	p.stream = p.s.newStream(sub, nil, nil, p.check)
	return nil
}

// Members lists the model's members, oldest first, with a revision number
// that grows with every change this instance knows of.
func (p *Presence) Members() (uint64, []PresenceMember) {
	return p.s.presence.members(p.Model)
}

// Close leaves the model's presence; the other members hear of it.
func (p *Presence) Close() {
	p.once.Do(func() {
		p.mu.Lock()
		p.stream.Close()
		p.mu.Unlock()
		p.s.leavePresence(p.Model, p.ID)
	})
}

// presenceAccess checks that the actor may be present on the model named
// model: that it may edit it (admins may edit every model), and that the
// model exists.
func (s *Service) presenceAccess(ctx context.Context, model string) error {
	if err := s.modelAccess(ctx, model, true); err != nil {
		return err
	}
	_, err := s.compiled(ctx, model) // admins pass modelAccess for any name
	return err
}

// JoinPresence makes the actor a member of the presence of the model named
// model, which it must be allowed to edit. A user holds at most
// MaxPresencePerUser places on a model, and a model has at most
// MaxPresenceMembers members, every instance's counted.
func (s *Service) JoinPresence(ctx context.Context, model string) (*Presence, error) {
	if err := s.signedIn(ctx); err != nil {
		return nil, err
	}
	a, _ := actor(ctx)
	if a.UserID == "" {
		return nil, torque.Errorf(torque.EFORBIDDEN, "only users join a model's presence")
	}
	if err := s.presenceAccess(ctx, model); err != nil {
		return nil, err
	}
	check := s.streamCheck(ctx, func(c context.Context) error { return s.presenceAccess(c, model) })
	sub, err := s.hub.Subscribe(PresenceTopic(model), 0)
	if err != nil {
		return nil, err
	}
	stream := s.newStream(sub, nil, nil, check)
	m := PresenceMember{ID: uuid.NewString(), UserID: a.UserID, Email: a.Email, Since: s.now().UTC()}
	if err := s.presence.join(model, m, s.instance); err != nil {
		stream.Close()
		return nil, err
	}
	s.presenceChanged(model)
	s.announcePresence(ctx, model, []PresenceMember{m})
	return &Presence{ID: m.ID, Model: model, s: s, check: check, stream: stream}, nil
}

// SetPresence says what the member id of the actor edits on the model
// named model ("" for nothing). An id of another user is EFORBIDDEN, one
// no instance has told of ENOTFOUND. A member held by another instance is
// changed there (the change is forwarded to it).
func (s *Service) SetPresence(ctx context.Context, model, id, editing string) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	if err := checkEditing(editing); err != nil {
		return err
	}
	if err := s.presenceAccess(ctx, model); err != nil {
		return err
	}
	st := &s.presence
	st.mu.Lock()
	e := st.entryLocked(model, id)
	switch {
	case e == nil:
		st.mu.Unlock()
		return torque.Errorf(torque.ENOTFOUND, "no presence %q on model %q", id, model)
	case e.UserID != a.UserID:
		st.mu.Unlock()
		return torque.Errorf(torque.EFORBIDDEN, "presence %q on model %q is not yours", id, model)
	case e.instance != s.instance:
		to := e.instance
		st.mu.Unlock()
		return s.notifyPresence(ctx, presenceMsg{Op: opSet, Model: model, ID: id, To: to, UserID: a.UserID, Editing: editing})
	}
	changed := st.setLocked(e, editing)
	m := e.PresenceMember
	st.mu.Unlock()
	if changed {
		s.presenceChanged(model)
		s.announcePresence(ctx, model, []PresenceMember{m})
	}
	return nil
}

// checkEditing refuses what no editor would say it edits: text over
// MaxPresenceEditing bytes, invalid UTF-8, control and format characters
// (such as U+202E, which turns the text after it around) and line or
// paragraph separators.
func checkEditing(editing string) error {
	problem := ""
	switch {
	case len(editing) > MaxPresenceEditing:
		problem = fmt.Sprintf("must be at most %d bytes", MaxPresenceEditing)
	case !utf8.ValidString(editing):
		problem = "must be UTF-8 text"
	case strings.ContainsFunc(editing, func(r rune) bool { return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) }):
		problem = "must not contain control or format characters or line breaks"
	}
	if problem != "" {
		return torque.Invalid("invalid presence", map[string]string{"editing": problem})
	}
	return nil
}

// presenceChanged wakes the streams of the model's members.
func (s *Service) presenceChanged(model string) {
	s.hub.Publish(bus.Event{Topic: PresenceTopic(model), Kind: KindPresenceChanged, At: s.now().UTC(), Actor: "system"})
}

// leavePresence removes the member id of this instance from model and
// tells the others.
func (s *Service) leavePresence(model, id string) {
	if !s.presence.leave(model, id, s.instance, s.now()) {
		return
	}
	s.presenceChanged(model)
	// The request that held the presence may be gone: tell the others anyway.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.notifyPresence(ctx, presenceMsg{Op: opLeave, Model: model, ID: id}); err != nil {
		s.logger.WarnContext(ctx, "presence: announce a leave", "model", model, "err", err)
	}
}

// presenceState is a Service's presence: the members of every model, of
// every instance it has heard of.
type presenceState struct {
	mu     sync.Mutex
	models map[string]*presenceModel
	rev    uint64 // counts changes
	// left holds the ids of members that left, and when: ids are never
	// used again, so an announcement of one that arrives after its leave
	// (notes sent over different connections may overtake each other) is
	// stale and ignored. Kept for twice PresenceExpiry.
	left map[string]time.Time
}

type presenceModel struct {
	members map[string]*presenceEntry // by id
}

// presenceEntry is a member as an instance keeps it.
type presenceEntry struct {
	PresenceMember
	instance string    // the instance holding it
	seen     time.Time // when another instance's member was last heard of (s.now)
}

func newPresenceState() presenceState {
	return presenceState{models: map[string]*presenceModel{}, left: map[string]time.Time{}}
}

// entryLocked returns the member id of model, or nil.
func (st *presenceState) entryLocked(model, id string) *presenceEntry {
	if pm := st.models[model]; pm != nil {
		return pm.members[id]
	}
	return nil
}

// join adds m, held by instance, to the members of model, unless model
// has as many as it may.
func (st *presenceState) join(model string, m PresenceMember, instance string) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	pm := st.models[model]
	if pm == nil {
		pm = &presenceModel{members: map[string]*presenceEntry{}}
	}
	if len(pm.members) >= MaxPresenceMembers {
		return torque.Errorf(torque.ETOOLARGE, "model %q has %d members present, the most it may have", model, len(pm.members))
	}
	mine := 0
	for _, e := range pm.members {
		if e.UserID == m.UserID {
			mine++
		}
	}
	if mine >= MaxPresencePerUser {
		return torque.Errorf(torque.ETOOLARGE, "you are present %d times on model %q, the most one user may be", mine, model)
	}
	st.models[model] = pm
	pm.members[m.ID] = &presenceEntry{PresenceMember: m, instance: instance}
	st.rev++
	return nil
}

// leave removes the member id of model if instance holds it, and reports
// whether it did.
func (st *presenceState) leave(model, id, instance string, now time.Time) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	pm := st.models[model]
	var e *presenceEntry
	if pm != nil {
		e = pm.members[id]
	}
	if e != nil && e.instance != instance {
		return false // an id is its instance's alone
	}
	st.left[id] = now // also when its leave overtook its first announcement
	if e == nil {
		return false
	}
	delete(pm.members, id)
	if len(pm.members) == 0 {
		delete(st.models, model)
	}
	st.rev++
	return true
}

// members lists the members of model, oldest first, and the revision.
func (st *presenceState) members(model string) (uint64, []PresenceMember) {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := []PresenceMember{}
	if pm := st.models[model]; pm != nil {
		for _, e := range pm.members {
			out = append(out, e.PresenceMember)
		}
	}
	slices.SortFunc(out, func(a, b PresenceMember) int {
		return cmp.Or(a.Since.Compare(b.Since), cmp.Compare(a.ID, b.ID))
	})
	return st.rev, out
}

// setLocked sets what e edits and reports whether that changed it.
func (st *presenceState) setLocked(e *presenceEntry, editing string) bool {
	if e.Editing == editing {
		return false
	}
	e.Editing = editing
	st.rev++
	return true
}

// heard records the members of model that instance announced, seen at
// now, and reports whether that changed the members.
func (st *presenceState) heard(model, instance string, members []PresenceMember, now time.Time) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	pm := st.models[model]
	if pm == nil {
		pm = &presenceModel{members: map[string]*presenceEntry{}}
	}
	changed := false
	for _, mem := range members {
		if _, gone := st.left[mem.ID]; gone {
			continue // it left: this announcement was overtaken by its leave
		}
		e := pm.members[mem.ID]
		switch {
		case e == nil:
			if len(pm.members) >= MaxPresenceMembers {
				continue // this instance cannot show more
			}
			pm.members[mem.ID] = &presenceEntry{PresenceMember: mem, instance: instance, seen: now}
			changed = true
		case e.instance != instance:
			continue // an id is its instance's alone
		default:
			e.seen = now
			if e.PresenceMember != mem {
				e.PresenceMember = mem
				changed = true
			}
		}
	}
	if len(pm.members) > 0 {
		st.models[model] = pm
	}
	if changed {
		st.rev++
	}
	return changed
}

// own returns the members instance holds, by model.
func (st *presenceState) own(instance string) map[string][]PresenceMember {
	st.mu.Lock()
	defer st.mu.Unlock()
	byModel := map[string][]PresenceMember{}
	for name, pm := range st.models {
		for _, e := range pm.members {
			if e.instance == instance {
				byModel[name] = append(byModel[name], e.PresenceMember)
			}
		}
	}
	return byModel
}

// expire forgets the members of instances other than instance not heard
// of for PresenceExpiry before now, and returns the models whose members
// that changed.
func (st *presenceState) expire(instance string, now time.Time) []string {
	st.mu.Lock()
	defer st.mu.Unlock()
	var changed []string
	for id, at := range st.left {
		if now.Sub(at) > 2*PresenceExpiry {
			delete(st.left, id)
		}
	}
	for name, pm := range st.models {
		n := len(pm.members)
		for id, e := range pm.members {
			if e.instance != instance && now.Sub(e.seen) > PresenceExpiry {
				delete(pm.members, id)
			}
		}
		if len(pm.members) != n {
			changed = append(changed, name)
			st.rev++
		}
		if len(pm.members) == 0 {
			delete(st.models, name)
		}
	}
	return changed
}

// presenceMsg is a presence note, carried by a note of the change bus
// (note.Presence, see notify.go).
type presenceMsg struct {
	Op      string           `json:"op"`
	Model   string           `json:"m,omitempty"`
	Members []PresenceMember `json:"ms,omitempty"` // opUp
	ID      string           `json:"id,omitempty"` // opLeave, opSet
	To      string           `json:"to,omitempty"` // opSet: the instance holding ID
	UserID  string           `json:"u,omitempty"`  // opSet: who asks
	Editing string           `json:"ed,omitempty"` // opSet
}

// Operations of presence notes.
const (
	opUp    = "up"    // these members of the sender are present (joined, changed, or still there)
	opLeave = "leave" // this member of the sender left
	opHello = "hello" // the sender (re)started listening: announce your members
	opSet   = "set"   // instance To: set what member ID edits, if it is UserID's
)

// notifyPresence sends a presence note to the other instances, on
// PostgreSQL.
func (s *Service) notifyPresence(ctx context.Context, m presenceMsg) error {
	if !s.db.CanListen() {
		return nil
	}
	return s.db.Notify(context.WithoutCancel(ctx), s.note(note{Presence: &m}))
}

// announcePresence tells the other instances that members of this instance
// are present on model, in notes small enough for PostgreSQL: members go
// into a note while their encoding fits (JSON escapes <, > and & as six
// bytes each, so what a member edits may take six times its length). A
// note that cannot be sent is logged and the others are sent still.
func (s *Service) announcePresence(ctx context.Context, model string, members []PresenceMember) {
	if !s.db.CanListen() {
		return
	}
	// What a note holds besides its members, with room to spare.
	budget := store.MaxNotifyBytes - len(s.note(note{Presence: &presenceMsg{Op: opUp, Model: model}})) - 64
	var chunk []PresenceMember
	size := 0
	send := func() {
		if len(chunk) == 0 {
			return
		}
		if err := s.notifyPresence(ctx, presenceMsg{Op: opUp, Model: model, Members: chunk}); err != nil {
			s.logger.WarnContext(ctx, "presence: announce members", "model", model, "members", len(chunk), "err", err)
		}
		chunk, size = nil, 0
	}
	for _, m := range members {
		b, err := json.Marshal(m)
		if err != nil {
			continue // strings and a time always encode
		}
		if size+len(b)+1 > budget {
			send()
		}
		chunk = append(chunk, m)
		size += len(b) + 1 // and a comma
	}
	send()
}

// announceAllPresence announces every member of this instance.
func (s *Service) announceAllPresence(ctx context.Context) {
	for name, ms := range s.presence.own(s.instance) {
		s.announcePresence(ctx, name, ms)
	}
}

// runPresence keeps the instances in step until ctx ends (RunEvents runs
// it on PostgreSQL): it announces this instance's members every heartbeat
// and forgets those of other instances gone silent.
func (s *Service) runPresence(ctx context.Context) {
	tick := time.NewTicker(PresenceHeartbeat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		s.announceAllPresence(ctx)
		s.expirePresence()
	}
}

// presenceConnected runs when the listener of RunEvents (re)connects: what
// was said while none listened is lost, so this instance announces its
// members and asks the others for theirs.
func (s *Service) presenceConnected(ctx context.Context) {
	s.announceAllPresence(ctx)
	if err := s.notifyPresence(ctx, presenceMsg{Op: opHello}); err != nil {
		s.logger.WarnContext(ctx, "presence: greet other instances", "err", err)
	}
}

// onPresenceNote handles a presence note of the instance from (onNote
// hands it over).
func (s *Service) onPresenceNote(ctx context.Context, from string, m *presenceMsg) {
	switch m.Op {
	case opHello:
		s.announceAllPresence(ctx)
		return
	case opSet:
		if m.To == s.instance {
			s.applyPresenceSet(ctx, m)
		}
		return
	}
	if m.Model == "" {
		return
	}
	changed := false
	switch m.Op {
	case opUp:
		changed = s.presence.heard(m.Model, from, m.Members, s.now())
	case opLeave:
		changed = s.presence.leave(m.Model, m.ID, from, s.now())
	}
	if changed {
		s.presenceChanged(m.Model)
	}
}

// applyPresenceSet applies a SetPresence another instance forwarded for a
// member of this one, if it is the asking user's.
func (s *Service) applyPresenceSet(ctx context.Context, m *presenceMsg) {
	if checkEditing(m.Editing) != nil {
		return
	}
	st := &s.presence
	st.mu.Lock()
	e := st.entryLocked(m.Model, m.ID)
	if e == nil || e.instance != s.instance || e.UserID != m.UserID {
		st.mu.Unlock()
		return
	}
	changed := st.setLocked(e, m.Editing)
	mem := e.PresenceMember
	st.mu.Unlock()
	if changed {
		s.presenceChanged(m.Model)
		s.announcePresence(ctx, m.Model, []PresenceMember{mem})
	}
}

// expirePresence forgets the members of other instances not heard of for
// PresenceExpiry: their instance stopped without saying so.
func (s *Service) expirePresence() {
	for _, name := range s.presence.expire(s.instance, s.now()) {
		s.presenceChanged(name)
	}
}

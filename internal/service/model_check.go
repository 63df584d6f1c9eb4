package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/store"
)

// Timeouts of the checks of stored records one model write runs (all of
// them together). A write whose checks take longer is refused with
// ETIMEOUT: nothing is known to be safe. On SQLite the checks run in the
// one write transaction every concurrent write shares (group commit), so
// they hold up all writes while they run: their budget is shorter there.
const (
	modelCheckBudget       = 5 * time.Second
	modelCheckBudgetShared = 1 * time.Second
)

// modelCheckTimeout returns the time the checks of one model write may take
// on s's store.
func (s *Service) modelCheckTimeout() time.Duration {
	if s.db.GroupCommits() {
		return modelCheckBudgetShared
	}
	return modelCheckBudget
}

// dataCheck is one question a model write asks of the stored records of the
// model's apps: how many break a rule the write adds or tightens.
type dataCheck struct {
	typ, field string // entity type and data field whose values are checked
	rule       store.FieldRule
	path       string // in the new document: "entities[1].fields[2].type"
	// The part the change is in, to find the edit that made it: entity and
	// field, or relationship.
	entity, fieldName, relationship, member string
	say                                     func(b store.Breaches) string
}

// dataChecks lists the checks that storing m in place of old needs: one per
// field or relationship rule that m adds or tightens, none when no field's
// type or rules change (the common case), so such writes cost nothing.
//
// A field new to an entity type gets its stored values checked too: data
// keeps the values of removed fields until a record is next updated, so a
// field that comes back may find values it cannot hold.
func dataChecks(old, m *torque.Model) []dataCheck {
	var checks []dataCheck
	for i := range m.Entities {
		et := &m.Entities[i]
		oet := old.EntityType(et.Name)
		for j := range et.Fields {
			nf := &et.Fields[j]
			var of *torque.Field
			if oet != nil {
				of = oet.Field(nf.Name)
			}
			checks = append(checks, fieldChecks(et.Name, fmt.Sprintf("entities[%d].fields[%d]", i, j), of, nf)...)
		}
	}
	for k := range m.Relationships {
		r := &m.Relationships[k]
		if r.Kind != torque.OneToOne && r.Kind != torque.OneToMany {
			continue
		}
		var or *torque.Relationship
		for l := range old.Relationships {
			if o := &old.Relationships[l]; o.Name == r.Name && o.To == r.To && o.ToField == r.ToField &&
				(o.Kind == torque.OneToOne || o.Kind == torque.OneToMany) {
				or = o
			}
		}
		path := fmt.Sprintf("relationships[%d]", k)
		c := dataCheck{typ: r.To, field: r.ToField, relationship: r.Name}
		if or == nil {
			// Records of r.To may hold values in r.ToField left by an
			// earlier field or relationship: they must be ids of r.From.
			c := c
			c.rule, c.path, c.member = store.FieldRule{Rule: store.RuleRefers, Target: r.From}, path+".toField", "toField"
			c.say = func(b store.Breaches) string {
				return fmt.Sprintf("cannot add relationship %q: %s in %s values that are not ids of %s records%s",
					r.Name, stored(b.Count, r.To, "holds", "hold"), r.ToField, r.From, first(b))
			}
			checks = append(checks, c)
		}
		if r.Required && (or == nil || !or.Required) {
			c := c
			c.rule, c.path, c.member = store.FieldRule{Rule: store.RuleRequired}, path+".required", "required"
			c.say = func(b store.Breaches) string {
				return fmt.Sprintf("cannot make relationship %q required: %s no %s", r.Name, stored(b.Count, r.To, "has", "have"), r.ToField)
			}
			checks = append(checks, c)
		}
		if r.Kind == torque.OneToOne && (or == nil || or.Kind != torque.OneToOne) {
			c := c
			c.rule, c.path, c.member = store.FieldRule{Rule: store.RuleUnique, Type: torque.FieldString}, path+".kind", "kind"
			c.say = func(b store.Breaches) string {
				return fmt.Sprintf("cannot make relationship %q one-to-one: %s their %s with another%s",
					r.Name, stored(b.Count, r.To, "shares", "share"), r.ToField, first(b))
			}
			checks = append(checks, c)
		}
	}
	return checks
}

// fieldChecks lists the checks of field nf of entity type typ, which was of
// in the old model (nil when new there).
func fieldChecks(typ, path string, of, nf *torque.Field) []dataCheck {
	var checks []dataCheck
	add := func(member string, rule store.FieldRule, say func(store.Breaches) string) {
		checks = append(checks, dataCheck{typ: typ, field: nf.Name, rule: rule, path: path + "." + member,
			entity: typ, fieldName: nf.Name, member: member, say: say})
	}
	defaultNote := ""
	if len(nf.Default) > 0 {
		defaultNote = " (a default is given to new records only)"
	}
	if of == nil {
		if nf.Required {
			add("required", store.FieldRule{Rule: store.RuleRequired}, func(b store.Breaches) string {
				return fmt.Sprintf("cannot add required field %q: %s no value for it%s", nf.Name, stored(b.Count, typ, "has", "have"), defaultNote)
			})
		}
		if nf.Type == torque.FieldJSON {
			return checks
		}
		check, err := nf.ValueCheck()
		if err != nil {
			return checks // Validate refused the pattern already
		}
		if nf.Type == torque.FieldDateTime {
			check = utcOnly(check)
		}
		var firstProblem string
		add("type", store.FieldRule{Rule: store.RuleValid, Valid: func(v any) bool {
			msg := check(v)
			if msg != "" && firstProblem == "" {
				firstProblem = msg
			}
			return msg == ""
		}}, func(b store.Breaches) string {
			return fmt.Sprintf("cannot add field %q: %s values left by an earlier field %q that do not fit it%s: %s",
				nf.Name, stored(b.Count, typ, "holds", "hold"), nf.Name, first(b), firstProblem)
		})
		if nf.Unique {
			add("unique", store.FieldRule{Rule: store.RuleUnique, Type: nf.Type}, func(b store.Breaches) string {
				return fmt.Sprintf("cannot add unique field %q: %s a value left by an earlier field %q with another%s",
					nf.Name, stored(b.Count, typ, "shares", "share"), nf.Name, first(b))
			})
		}
		return checks
	}

	if nf.Type != of.Type && !alwaysHolds(of.Type, nf.Type) {
		add("type", typeRule(nf), func(b store.Breaches) string {
			return fmt.Sprintf("cannot change %q from %s to %s: %s %s%s", nf.Name, of.Type, nf.Type,
				stored(b.Count, typ, "holds", "hold"), notA(nf, b.Count), first(b))
		})
	}
	if nf.Required && !of.Required {
		add("required", store.FieldRule{Rule: store.RuleRequired}, func(b store.Breaches) string {
			return fmt.Sprintf("cannot make %q required: %s no value for it%s", nf.Name, stored(b.Count, typ, "has", "have"), defaultNote)
		})
	}
	if nf.Unique && !of.Unique {
		add("unique", store.FieldRule{Rule: store.RuleUnique, Type: nf.Type}, func(b store.Breaches) string {
			return fmt.Sprintf("cannot make %q unique: %s their value with another%s", nf.Name, stored(b.Count, typ, "shares", "share"), first(b))
		})
	}
	if nf.Type == torque.FieldEnum && of.Type == torque.FieldEnum {
		var removed []string
		for _, v := range of.Values {
			if !slices.Contains(nf.Values, v) {
				removed = append(removed, strconv.Quote(v))
			}
		}
		if len(removed) > 0 {
			add("values", store.FieldRule{Rule: store.RuleOneOf, Values: nf.Values}, func(b store.Breaches) string {
				return fmt.Sprintf("cannot remove %s from the values of %q: %s %s%s", strings.Join(removed, ", "), nf.Name,
					stored(b.Count, typ, "holds", "hold"), plural(b.Count, "a removed value", "removed values"), first(b))
			})
		}
	}
	numeric := nf.Type == torque.FieldInteger || nf.Type == torque.FieldNumber
	if numeric && nf.Min != nil && (of.Min == nil || *nf.Min > *of.Min) {
		add("min", store.FieldRule{Rule: store.RuleMin, Bound: *nf.Min}, func(b store.Breaches) string {
			return fmt.Sprintf("cannot set the min of %q to %s: %s %s%s", nf.Name, formatBound(*nf.Min),
				stored(b.Count, typ, "holds", "hold"), plural(b.Count, "a smaller value", "smaller values"), first(b))
		})
	}
	if numeric && nf.Max != nil && (of.Max == nil || *nf.Max < *of.Max) {
		add("max", store.FieldRule{Rule: store.RuleMax, Bound: *nf.Max}, func(b store.Breaches) string {
			return fmt.Sprintf("cannot set the max of %q to %s: %s %s%s", nf.Name, formatBound(*nf.Max),
				stored(b.Count, typ, "holds", "hold"), plural(b.Count, "a larger value", "larger values"), first(b))
		})
	}
	if nf.MinLength != nil && *nf.MinLength > 0 && (of.MinLength == nil || *nf.MinLength > *of.MinLength) {
		add("minLength", store.FieldRule{Rule: store.RuleMinLength, Length: *nf.MinLength}, func(b store.Breaches) string {
			return fmt.Sprintf("cannot set the minLength of %q to %d: %s %s%s", nf.Name, *nf.MinLength,
				stored(b.Count, typ, "holds", "hold"), plural(b.Count, "a shorter value", "shorter values"), first(b))
		})
	}
	if nf.MaxLength != nil && (of.MaxLength == nil || *nf.MaxLength < *of.MaxLength) {
		add("maxLength", store.FieldRule{Rule: store.RuleMaxLength, Length: *nf.MaxLength}, func(b store.Breaches) string {
			return fmt.Sprintf("cannot set the maxLength of %q to %d: %s %s%s", nf.Name, *nf.MaxLength,
				stored(b.Count, typ, "holds", "hold"), plural(b.Count, "a longer value", "longer values"), first(b))
		})
	}
	if nf.Pattern != "" && nf.Pattern != of.Pattern {
		if re, err := regexp.Compile(nf.Pattern); err == nil {
			add("pattern", store.FieldRule{Rule: store.RuleValid, Valid: func(v any) bool {
				s, ok := v.(string)
				return !ok || re.MatchString(s) // other types: the type's own check
			}}, func(b store.Breaches) string {
				return fmt.Sprintf("cannot set the pattern of %q to %s: %s %s%s", nf.Name, nf.Pattern,
					stored(b.Count, typ, "holds", "hold"), plural(b.Count, "a value that does not match it", "values that do not match it"), first(b))
			})
		}
	}
	return checks
}

// alwaysHolds reports the type changes every stored value survives as it
// is: storage keeps data as JSON and converts nothing, so these are the
// changes whose new type accepts every JSON value of the old one.
func alwaysHolds(from, to torque.FieldType) bool {
	switch to {
	case torque.FieldJSON:
		return true
	case torque.FieldString, torque.FieldText:
		switch from {
		case torque.FieldString, torque.FieldText, torque.FieldDate, torque.FieldDateTime,
			torque.FieldEnum, torque.FieldEmail, torque.FieldURL:
			return true
		}
	case torque.FieldNumber:
		return from == torque.FieldInteger
	}
	return false
}

// typeRule is the rule stored values must keep for the type of f.
func typeRule(f *torque.Field) store.FieldRule {
	switch f.Type {
	case torque.FieldString, torque.FieldText:
		return store.FieldRule{Rule: store.RuleString}
	case torque.FieldInteger:
		return store.FieldRule{Rule: store.RuleInteger}
	case torque.FieldNumber:
		return store.FieldRule{Rule: store.RuleNumber}
	case torque.FieldBoolean:
		return store.FieldRule{Rule: store.RuleBoolean}
	case torque.FieldEnum:
		return store.FieldRule{Rule: store.RuleOneOf, Values: f.Values}
	}
	// date, datetime, email, url: the format rules of Go, value by value.
	check, _ := (&torque.Field{Name: f.Name, Type: f.Type}).ValueCheck() // no pattern: no error
	if f.Type == torque.FieldDateTime {
		check = utcOnly(check)
	}
	return store.FieldRule{Rule: store.RuleValid, Valid: func(v any) bool { return check(v) == "" }}
}

// utcOnly narrows a datetime check to the values storage keeps as they
// are: those in UTC ("Z"). Others would be rewritten on the next update
// and, until then, sort out of time order.
func utcOnly(check func(any) string) func(any) string {
	return func(v any) string {
		if msg := check(v); msg != "" {
			return msg
		}
		if s, _ := v.(string); !strings.HasSuffix(s, "Z") {
			return "must be in UTC (ending in Z)"
		}
		return ""
	}
}

// notA says what stored values are not, for the type of f.
func notA(f *torque.Field, n int64) string {
	one, many := "a value", "values"
	var what string
	switch f.Type {
	case torque.FieldString, torque.FieldText:
		what = plural(n, "a string", "strings")
	case torque.FieldInteger:
		what = plural(n, "an integer", "integers")
	case torque.FieldNumber:
		what = plural(n, "a number", "numbers")
	case torque.FieldBoolean:
		what = "true or false"
	case torque.FieldDate:
		what = plural(n, "a date", "dates")
	case torque.FieldDateTime:
		what = plural(n, "a date and time in UTC", "dates and times in UTC")
	case torque.FieldEnum:
		what = "one of " + strings.Join(f.Values, ", ")
	case torque.FieldEmail:
		what = plural(n, "an e-mail address", "e-mail addresses")
	case torque.FieldURL:
		what = plural(n, "an http or https URL", "http or https URLs")
	}
	return plural(n, one+" that is not ", many+" that are not ") + what
}

// stored words "3 stored Task records hold" (verb one or many).
func stored(n int64, typ, one, many string) string {
	return fmt.Sprintf("%d stored %s %s %s", n, typ, plural(n, "record", "records"), plural(n, one, many))
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// first words the first offending value: ` (first: "tomorrow")`, clipped.
func first(b store.Breaches) string {
	if len(b.First) == 0 {
		return ""
	}
	s := string(b.First)
	if utf8.RuneCountInString(s) > 60 {
		r := []rune(s)
		s = string(r[:57]) + "..."
	}
	return " (first: " + s + ")"
}

func formatBound(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// checkStoredData runs, inside the model write's transaction, the checks
// that replacing old with m needs, and refuses the write (EINVALID, every
// problem with its path in m; for edits also the path of the edit that made
// the change) when stored records break a rule m adds. All checks together
// may take timeout (Service.modelCheckTimeout).
func checkStoredData(ctx context.Context, tx *store.Tx, old, m *torque.Model, edits []torque.ModelEdit, timeout time.Duration) error {
	checks := dataChecks(old, m)
	if len(checks) == 0 {
		return nil
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	timedOut := func(err error) error {
		if ctx.Err() == nil && errors.Is(cctx.Err(), context.DeadlineExceeded) {
			return torque.Errorf(torque.ETIMEOUT, "checking the stored records of model %q against the change took longer than %s: nothing was changed",
				m.Name, timeout)
		}
		return err
	}
	has := map[string]bool{}
	problems := map[string]string{}
	var messages []string
	for _, c := range checks {
		records, seen := has[c.typ]
		if !seen {
			var err error
			if records, err = tx.HasEntities(cctx, m.Name, c.typ); err != nil {
				return timedOut(err)
			}
			has[c.typ] = records
		}
		if !records {
			continue
		}
		b, err := tx.FieldBreaches(cctx, m.Name, c.typ, c.field, c.rule)
		if err != nil {
			return timedOut(err)
		}
		if b.Count == 0 {
			continue
		}
		msg := c.say(b)
		messages = append(messages, msg)
		problems[c.path] = msg
		if p := editPath(edits, c); p != "" {
			problems[p] = msg
		}
	}
	switch len(messages) {
	case 0:
		return nil
	case 1:
		return torque.Invalid(messages[0], problems)
	}
	return torque.Invalid(fmt.Sprintf("the change does not fit the stored records (%d problems): %s", len(messages), messages[0]), problems)
}

// editPath returns the path of the member of the last edit that made the
// change c checks, such as "edits[1].value.type", or "" when no single edit
// did (a whole document was written, or only reorders touched the part).
func editPath(edits []torque.ModelEdit, c dataCheck) string {
	for i := len(edits) - 1; i >= 0; i-- {
		e := &edits[i]
		var value map[string]json.RawMessage
		_ = json.Unmarshal(e.Value, &value) // an edit that applied has an object value, if any
		name := func(obj map[string]json.RawMessage) string {
			var s string
			_ = json.Unmarshal(obj["name"], &s)
			return s
		}
		at := "edits[" + strconv.Itoa(i) + "].value"
		member := func(obj map[string]json.RawMessage, prefix string) string {
			if _, ok := obj[c.member]; ok {
				return prefix + "." + c.member
			}
			return prefix
		}
		if c.relationship != "" {
			switch e.Op {
			case torque.EditUpdateRelationship:
				if e.Relationship == c.relationship || name(value) == c.relationship {
					return member(value, at)
				}
			case torque.EditAddRelationship:
				if name(value) == c.relationship {
					return member(value, at)
				}
			}
			continue
		}
		switch e.Op {
		case torque.EditUpdateField:
			if e.Entity == c.entity && (e.Field == c.fieldName || name(value) == c.fieldName) {
				return member(value, at)
			}
		case torque.EditAddField:
			if e.Entity == c.entity && name(value) == c.fieldName {
				return member(value, at)
			}
		case torque.EditAddEntity:
			if name(value) != c.entity {
				continue
			}
			var fields []map[string]json.RawMessage
			_ = json.Unmarshal(value["fields"], &fields)
			for j, f := range fields {
				if name(f) == c.fieldName {
					return member(f, at+".fields["+strconv.Itoa(j)+"]")
				}
			}
			return at
		}
	}
	return ""
}

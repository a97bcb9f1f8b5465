package main

import (
	"encoding/json"
	"fmt"
	"strings"
)

// shape is one shape of the botocore model, with the fields the generator reads.
type shape struct {
	Type      string         `json:"type"`
	Required  []string       `json:"required"`
	Members   orderedMembers `json:"members"`
	Member    *memberRef     `json:"member"`
	Key       *memberRef     `json:"key"`
	Value     *memberRef     `json:"value"`
	Min       *int           `json:"min"`
	Max       *int           `json:"max"`
	Pattern   string         `json:"pattern"`
	Enum      []string       `json:"enum"`
	Sensitive bool           `json:"sensitive"`
}

type memberRef struct {
	Shape string `json:"shape"`
}

// orderedMembers keeps a structure's members in the model's order: the service validates, and
// words its counted message, in that order.
type orderedMembers struct {
	names []string
	refs  map[string]memberRef
}

func (o *orderedMembers) UnmarshalJSON(b []byte) error {
	o.refs = map[string]memberRef{}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if _, err := dec.Token(); err != nil { // {
		return err
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		name := t.(string)
		var ref memberRef
		if err := dec.Decode(&ref); err != nil {
			return err
		}
		o.names = append(o.names, name)
		o.refs[name] = ref
	}
	return nil
}

type operation struct {
	Input *memberRef `json:"input"`
}

type model struct {
	Operations map[string]operation `json:"operations"`
	Shapes     map[string]*shape    `json:"shapes"`
}

// overlay is model/overlay.json: keys starting with "_" are notes.
type overlay struct {
	Operations        map[string]json.RawMessage `json:"operations"`
	Shapes            map[string]json.RawMessage `json:"shapes"`
	EnumAppend        map[string]json.RawMessage `json:"enumAppend"`
	EnumOrder         map[string]json.RawMessage `json:"enumOrder"`
	Required          map[string]json.RawMessage `json:"required"`
	MemberConstraints map[string]json.RawMessage `json:"memberConstraints"`
}

// rangeOverride is a member's range as the service enforces it (overlay memberConstraints).
type rangeOverride struct {
	Min *int `json:"min"`
	Max *int `json:"max"`
}

// loadedModel is the model with its overlay applied.
type loadedModel struct {
	model
	ranges map[string]rangeOverride // "Shape.Member" -> range
}

func loadModel(base, overlayJSON []byte) (*loadedModel, error) {
	var m model
	if err := json.Unmarshal(base, &m); err != nil {
		return nil, fmt.Errorf("service-2.json: %w", err)
	}
	var o overlay
	if err := json.Unmarshal(overlayJSON, &o); err != nil {
		return nil, fmt.Errorf("overlay.json: %w", err)
	}
	lm := &loadedModel{model: m, ranges: map[string]rangeOverride{}}
	for name, raw := range o.Operations {
		if note(name) {
			continue
		}
		if _, ok := m.Operations[name]; ok {
			return nil, fmt.Errorf("overlay.json: operation %s is in the model already: drop it from the overlay", name)
		}
		var op operation
		if err := json.Unmarshal(raw, &op); err != nil {
			return nil, fmt.Errorf("overlay.json operation %s: %w", name, err)
		}
		m.Operations[name] = op
	}
	for name, raw := range o.Shapes {
		if note(name) {
			continue
		}
		if _, ok := m.Shapes[name]; ok {
			return nil, fmt.Errorf("overlay.json: shape %s is in the model already: drop it from the overlay", name)
		}
		var s shape
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("overlay.json shape %s: %w", name, err)
		}
		m.Shapes[name] = &s
	}
	err := eachEnumList(m, o.EnumAppend, func(name string, s *shape, values []string) error {
		for _, v := range values {
			if contains(s.Enum, v) {
				return fmt.Errorf("overlay.json: %s already has %s: drop it from enumAppend", name, v)
			}
			s.Enum = append(s.Enum, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachEnumList(m, o.EnumOrder, func(name string, s *shape, values []string) error {
		if !sameSet(values, s.Enum) {
			return fmt.Errorf("overlay.json: enumOrder of %s has %v, the model %v", name, values, s.Enum)
		}
		s.Enum = values
		return nil
	})
	if err != nil {
		return nil, err
	}
	for name, raw := range o.Required {
		if note(name) {
			continue
		}
		s := m.Shapes[name]
		var members []string
		if err := json.Unmarshal(raw, &members); err != nil {
			return nil, err
		}
		for _, member := range members {
			if s == nil || !contains(s.Members.names, member) || contains(s.Required, member) {
				return nil, fmt.Errorf("overlay.json: required names %s.%s, which the model lacks or requires already", name, member)
			}
			s.Required = append(s.Required, member)
		}
	}
	for name, raw := range o.MemberConstraints {
		if note(name) {
			continue
		}
		shapeName, member, ok := strings.Cut(name, ".")
		if s := m.Shapes[shapeName]; !ok || s == nil || !contains(s.Members.names, member) {
			return nil, fmt.Errorf("overlay.json: memberConstraints names %s, which the model lacks", name)
		}
		var r rangeOverride
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		lm.ranges[name] = r
	}
	return lm, nil
}

func note(key string) bool { return strings.HasPrefix(key, "_") }

// eachEnumList applies an overlay section of enum value lists (enumAppend, enumOrder) to the model's
// enum shapes.
func eachEnumList(m model, section map[string]json.RawMessage, apply func(name string, s *shape, values []string) error) error {
	for name, raw := range section {
		if note(name) {
			continue
		}
		s, err := enumShape(m, name)
		if err != nil {
			return err
		}
		var values []string
		if err := json.Unmarshal(raw, &values); err != nil {
			return fmt.Errorf("overlay.json %s: %w", name, err)
		}
		if err := apply(name, s, values); err != nil {
			return err
		}
	}
	return nil
}

func enumShape(m model, name string) (*shape, error) {
	s := m.Shapes[name]
	if s == nil || len(s.Enum) == 0 {
		return nil, fmt.Errorf("overlay.json: %s is not an enum of the model", name)
	}
	return s, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !contains(b, x) {
			return false
		}
	}
	return true
}

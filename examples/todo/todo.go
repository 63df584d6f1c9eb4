// Package todo embeds the TODO example model, the app every new Torque
// installation can start with.
package todo

import _ "embed"

// Model is the TODO model document (examples/todo/model.json).
//
//go:embed model.json
var Model []byte

// AppName is the name of the app made from the model.
const AppName = "todo"

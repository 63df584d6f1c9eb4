module github.com/torquehq/torque/web

// This file only marks web/ (npm packages, node_modules) as outside the
// Go module of the repository root, so that ./... never walks into
// node_modules (some npm packages ship Go files).

go 1.26

package torque

import "time"

// App is a running application made from a model. It always follows the
// latest version of its model.
type App struct {
	ID        int64     `json:"-"`    // storage key; entities are partitioned by it
	Name      string    `json:"name"` // unique, URL-safe: ^[a-z][a-z0-9-]{0,62}$
	Model     string    `json:"model"`
	CreatedAt time.Time `json:"createdAt"`
}

"""The movement room: the timeline and the route map, marked like every other view."""

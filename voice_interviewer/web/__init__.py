"""The practice room in the browser (`voice-interviewer web`): a local server for one-way video interview
rehearsal. `server` binds and runs it, `security` guards every request, `app` holds the routes, `room` the
state and the views of takes, `live` one answer's WebSocket, `video` makes the browser's recording seekable;
`static/` is the hand-written page, script and style (nothing is loaded from anywhere else)."""

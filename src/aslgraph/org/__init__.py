"""Organisation graphs: uploads, validation against shapes/org, posture assessment, and the
worker processes that run them. Domain objects only, no HTTP."""

"""The Starlette application: routes, authentication, body limits and health."""

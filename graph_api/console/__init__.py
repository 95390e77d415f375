"""The console and the offline GraphiQL page: the built front-end (console/ at the repository root,
built into dist/ here) served as static files, and the development sign-in."""

from graph_api.console.routes import CONSOLE_PREFIX, DIST, console_routes, graphiql_page

__all__ = ["CONSOLE_PREFIX", "DIST", "console_routes", "graphiql_page"]

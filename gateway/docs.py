"""Swagger UI and openapi.json at /docs/, a small aiohttp server that Envoy routes /docs to."""
from __future__ import annotations

import pathlib

from aiohttp import web
from swagger_ui_bundle import swagger_ui_path

from scenelens import openapi
from scenelens.settings import Settings

DEFAULT_DESCRIPTOR = pathlib.Path(__file__).resolve().parent.parent / "build" / "scenelens.pb"
_STATIC = pathlib.Path(swagger_ui_path)
# The bundle's own index.html and initializer point at the petstore demo; ours replace them.
_ASSETS = frozenset(
    p.name for p in _STATIC.iterdir()
    if p.suffix in {".js", ".css", ".png", ".map"} and p.name != "swagger-initializer.js"
)
_INDEX = b"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>scenelens API</title>
  <link rel="stylesheet" href="swagger-ui.css">
  <link rel="icon" type="image/png" href="favicon-32x32.png" sizes="32x32">
  <style>html { box-sizing: border-box; overflow-y: scroll; } body { margin: 0; }</style>
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: "/docs/openapi.json",
      dom_id: "#swagger-ui",
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
    });
  </script>
</body>
</html>
"""
OPENAPI_KEY = web.AppKey("openapi_json", bytes)


def create_docs_app(settings: Settings, openapi_json: bytes | None = None) -> web.Application:
    """The docs app; the OpenAPI document is generated from the descriptor set unless given."""
    if openapi_json is None:
        descriptor = settings.descriptor or DEFAULT_DESCRIPTOR
        openapi_json = openapi.openapi_json(descriptor)
    app = web.Application()
    app[OPENAPI_KEY] = openapi_json
    app.router.add_get("/docs", _redirect)
    app.router.add_get("/docs/", _index)
    app.router.add_get("/docs/openapi.json", _openapi)
    app.router.add_get("/docs/{name}", _asset)
    return app


async def start_docs_server(settings: Settings) -> web.AppRunner:
    """Serve the docs on settings.docs_host:docs_port; the caller awaits runner.cleanup()."""
    runner = web.AppRunner(create_docs_app(settings), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.docs_host, settings.docs_port).start()
    return runner


async def _redirect(request: web.Request) -> web.StreamResponse:
    raise web.HTTPMovedPermanently("/docs/")


async def _index(request: web.Request) -> web.StreamResponse:
    return web.Response(body=_INDEX, content_type="text/html", charset="utf-8")


async def _openapi(request: web.Request) -> web.StreamResponse:
    return web.Response(body=request.app[OPENAPI_KEY], content_type="application/json",
                        headers={"Cache-Control": "no-cache"})


async def _asset(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    if name not in _ASSETS:
        raise web.HTTPNotFound()
    return web.FileResponse(_STATIC / name, headers={"Cache-Control": "public, max-age=86400"})

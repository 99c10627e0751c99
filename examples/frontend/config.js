// Where the Marquee API lives. `python examples/frontend/serve.py --api URL` serves
// its own version of this file, so nothing here needs editing for local use.
window.MARQUEE_CONFIG = {
  apiBase: "http://127.0.0.1:8000/api/v2/",
};

"""The stand-in for app.plex.tv's sign-in page, served by the plex.tv fake at ``/auth``.

The real page reads ``clientID`` and ``code`` from the URL fragment (``/auth#?clientID=..&code=..``),
so the browser never sends them to a server; this page does the same and approves the PIN as the
account whose button is clicked. Nothing here is inserted as HTML: names go in through ``textContent``.
"""

AUTH_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Plex (fake) - sign in</title>
<style>
  body { font-family: sans-serif; background: #1f2326; color: #eee; display: grid; place-items: center;
         min-height: 100vh; margin: 0; }
  main { background: #2b3035; padding: 2rem; border-radius: 8px; min-width: 20rem; }
  button { display: block; width: 100%; margin: .5rem 0; padding: .6rem; font-size: 1rem; cursor: pointer;
           background: #e5a00d; border: 0; border-radius: 4px; color: #111; }
  small { color: #aaa; }
</style>
</head>
<body>
<main>
  <h1>Sign in to Plex</h1>
  <p id="info"><small>Fake plex.tv for the MediaNest demo.</small></p>
  <div id="buttons"></div>
  <p id="result"></p>
</main>
<script>
const ACCOUNTS = [
  ["owner", "nestowner (server owner)"],
  ["alice", "alice (friend with access)"],
  ["bob", "bob (friend with access)"],
  ["mallory", "mallory (stranger, no access)"],
  ["carol", "carol (friend of another server)"],
];
const params = new URLSearchParams(location.hash.replace(/^#!?\\??/, ""));
const code = params.get("code");
const result = document.getElementById("result");
if (!code) {
  result.textContent = "No PIN code in the URL fragment (#?clientID=...&code=...).";
} else {
  for (const [key, label] of ACCOUNTS) {
    const b = document.createElement("button");
    b.textContent = "Sign in as " + label;
    b.addEventListener("click", async () => {
      const r = await fetch("/__control/pins/by-code/" + encodeURIComponent(code) + "/approve", {
        method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({account: key}),
      });
      result.textContent = r.ok ? "Signed in as " + key + ". You can close this window."
                                : "That PIN is unknown or expired.";
      if (r.ok && window.opener) { setTimeout(() => window.close(), 800); }
    });
    document.getElementById("buttons").appendChild(b);
  }
}
</script>
</body>
</html>
"""

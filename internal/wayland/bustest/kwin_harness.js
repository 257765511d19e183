// Runs a KWin script in node: a stand-in for KWin's workspace object (the
// KWin 6 names, or KWin 5's with "5") whose windows the test drives, one
// JSON command a line on stdin, and callDBus, which prints its arguments
// as a JSON line for the Go side to make the call.
const fs = require("fs");
const readline = require("readline");
const [script, version, initial] = process.argv.slice(2);

function signal() {
    const handlers = [];
    return {
        connect(f) { handlers.push(f); },
        disconnect(f) { const i = handlers.indexOf(f); if (i >= 0) handlers.splice(i, 1); },
        emit(...args) { handlers.slice().forEach((h) => h(...args)); },
    };
}
const windows = {};
function windowOf(w) {
    if (!w) return null;
    if (!windows[w.id]) windows[w.id] = { captionChanged: signal() };
    return Object.assign(windows[w.id], w);
}
const workspace = {};
const activated = signal();
if (version === "5") {
    workspace.clientActivated = activated;
    workspace.activeClient = windowOf(JSON.parse(initial));
} else {
    workspace.windowActivated = activated;
    workspace.activeWindow = windowOf(JSON.parse(initial));
}
globalThis.workspace = workspace;
globalThis.callDBus = (...args) => process.stdout.write(JSON.stringify(args) + "\n");

readline.createInterface({ input: process.stdin }).on("line", (line) => {
    const cmd = JSON.parse(line);
    if (cmd.op === "caption") {
        windows[cmd.id].caption = cmd.caption;
        windows[cmd.id].captionChanged.emit();
        return;
    }
    const w = windowOf(cmd.window);
    if (version === "5") workspace.activeClient = w; else workspace.activeWindow = w;
    activated.emit(w);
});
(0, eval)(fs.readFileSync(script, "utf8"));

// Loaded into KWin by Workdiary: reports the window in front (its
// resource class, desktop file name and caption) to the Workdiary process
// that loaded it, over D-Bus, whenever it changes. It reads nothing else.
(function () {
    var service = SERVICE, path = PATH, iface = IFACE;
    var current = null;
    function text(v) { return v ? String(v) : ""; }
    function report() {
        var w = current;
        callDBus(service, path, iface, "Front",
            w ? text(w.resourceClass) : "", w ? text(w.desktopFileName) : "", w ? text(w.caption) : "");
    }
    function activated(w) {
        if (current && current.captionChanged) {
            current.captionChanged.disconnect(report);
        }
        current = w || null;
        if (current && current.captionChanged) {
            current.captionChanged.connect(report);
        }
        report();
    }
    if (workspace.windowActivated) { // KWin 6
        workspace.windowActivated.connect(activated);
        activated(workspace.activeWindow);
    } else { // KWin 5
        workspace.clientActivated.connect(activated);
        activated(workspace.activeClient);
    }
})();

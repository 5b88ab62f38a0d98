// homeca web UI: the Overview's trust check registers this service worker
// only to learn whether the browser itself accepts homecad's certificate
// (see checkTrust in app.js), then unregisters it. It handles nothing.
'use strict';

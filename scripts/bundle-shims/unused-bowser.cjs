// Bundles alias bowser to this file. The AWS SDK imports it only to parse a browser's user agent
// (util-user-agent-browser), which never runs in Node.js; it is 35 KB of every cold start. A parse
// that finds nothing is what the SDK falls back to anyway.
module.exports = { parse: () => undefined };

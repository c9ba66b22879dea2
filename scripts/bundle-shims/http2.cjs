// Bundles alias node:http2 to this file: loaded through require, Node does not build an ES module
// facade of all of node:http2's exports, which loads undici and costs ~30 ms of every cold start.
module.exports = require('http2');

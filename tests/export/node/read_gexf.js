// Reads GEXF files with graphology's own GEXF parser (an independent second reader for
// tests/export) and prints {path: graph.export()} as JSON on stdout.
// Usage: node read_gexf.js FILE.gexf [FILE.gexf ...]
'use strict';

const fs = require('fs');
const Graph = require('graphology');
const gexf = require('graphology-gexf');

const result = {};
for (const path of process.argv.slice(2)) {
  const graph = gexf.parse(Graph, fs.readFileSync(path, 'utf-8'));
  result[path] = graph.export();
}
process.stdout.write(JSON.stringify(result));

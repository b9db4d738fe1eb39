// Independent readers for tests/export: graphology's GEXF parser for .gexf files, and
// graphology's own deserialiser (Graph.from) for .json files in its serialisation format.
// Prints {path: graph.export()} as JSON on stdout.
// Usage: node read_gexf.js FILE.gexf|FILE.json [...]
'use strict';

const fs = require('fs');
const Graph = require('graphology');
const gexf = require('graphology-gexf');

const result = {};
for (const path of process.argv.slice(2)) {
  const text = fs.readFileSync(path, 'utf-8');
  const graph = path.endsWith('.json')
    ? Graph.from(JSON.parse(text))
    : gexf.parse(Graph, text);
  result[path] = graph.export();
}
process.stdout.write(JSON.stringify(result));

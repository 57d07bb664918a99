// Figures for docs/architecture.md: `node dist/test/architecture/measure.js [repo-root]`.
// Reads TypeScript sources only, so it also measures an unbuilt checkout (e.g. the "before" commit).
import { readSources, folderLoops, subfolderView, violations } from './import-graph.js';
import { RULES } from './rules.js';

const repo = process.argv[2] ?? '.';
const files = readSources(repo);
const long = files.filter((f) => f.lines > 300).sort((a, b) => b.lines - a.lines);
const loops = folderLoops(files);
const broken = violations(files, RULES);
const flatFaces = files.filter((f) => /^src\/faces\/[^/]+\.ts$/.test(f.path)).length;
console.log(JSON.stringify({
  repo,
  sourceFiles: files.length,
  filesOver300Lines: long.length,
  longest: long.slice(0, 10).map((f) => `${f.path} (${f.lines})`),
  folderImportLoops: loops.length,
  loops,
  flatFilesInSrcFaces: flatFaces,
  facesSubfolderLoops: folderLoops(subfolderView(files, 'src/faces')),
  ruleViolations: broken.length,
  violations: broken,
}, null, 2));

#!/usr/bin/env node
// Generates tests/data/slugs.tsv: the expected graph.org.ai `{Slug}` for every
// O*NET occupation title plus a list of awkward inputs, computed with real
// lodash as `_.upperFirst(_.camelCase(title))`.
//
// Dev tool only -- the Python tests read the TSV, they never run this script.
// To regenerate (table was produced with lodash 4.18.1 on Node 20):
//
//   mkdir -p /tmp/lodash-gen && (cd /tmp/lodash-gen && npm install lodash)
//   NODE_PATH=/tmp/lodash-gen/node_modules node tests/data/make_slugs.js \
//       "/work/shared/data/onet/Occupation Data.txt" tests/data/slugs.tsv
//
// Output: UTF-8, LF line endings, header row `title<TAB>slug`, then the O*NET
// titles in file order, then the awkward inputs. Nothing is escaped, so no
// input may contain a tab, CR or LF.

'use strict';

const fs = require('fs');
const path = require('path');
const _ = require('lodash');

const onetPath = process.argv[2] || '/work/shared/data/onet/Occupation Data.txt';
const outPath = process.argv[3] || path.join(__dirname, 'slugs.tsv');

// Column 2 of the tab-separated, CRLF O*NET file, skipping the header row.
const onet = fs
  .readFileSync(onetPath, 'utf8')
  .split(/\r?\n/)
  .slice(1)
  .filter((line) => line !== '')
  .map((line) => line.split('\t')[1]);

const awkward = [
  // accents and Latin-1 / Latin Extended-A letters (lodash deburr)
  'Café Crème Maître',
  'Señor Jalapeño Chef',
  'Straße Reiniger',
  'Øresund Pilots',
  'Æsthetic Designers',
  'Þórr Smiths',
  'Łódź Weavers',
  'Œuvre Curators',
  'Ĳssel Dredgers',
  'ŉ Odd Letter',
  'İstanbul Traders',
  'Cafe\u0301 Owners (combining acute)',
  'Ǎ Outside Latin Extended-A',
  'ΣΟΦΙΑ Greek Teachers',
  // apostrophes: vanish without splitting
  "Workers' Compensation Examiners",
  "Children's Librarians",
  'Children\u2019s Librarians (curly)',
  "Don't Panic",
  "I'M LOUD",
  "O'Neill's Bar",
  '\u2018Quoted\u2019 Titles',
  // symbols that split words
  'C++ Developer',
  'C# and F# Programmers',
  'R&D Managers',
  'Research & Development',
  'Farm/Ranch Managers',
  'Helpers (Except Gas)',
  'Stock Clerks, Sales Floor',
  'Sewing Machine Operators--Garment',
  'Editors \u2014 Print and Online',
  'Pages \u2013 Legislative',
  'snake_case_title',
  '__Leading Underscores__',
  '...Leading and trailing punctuation!!!',
  '  multiple   spaces   here  ',
  'non\u00a0breaking\u00a0space',
  'zero\u200bwidth\u200bspace',
  'ideographic\u3000space',
  'Price ± Tolerance × Factor ÷ 2',
  '¿Qué Pasa?',
  'Nº 1 Fan µ ²',
  'Emoji \u{1F469}\u200d\u{1F373} Chefs',
  '\u2764\ufe0f Heart Workers',
  // acronyms, camel humps, digits
  'AWS Cloud Architect',
  'MRI Technologists',
  'HVACR Mechanics',
  'iOS Developers',
  'iPhone11 Repairers',
  'XMLHttpRequest',
  'getHTTPResponseCode',
  'COVID19 Testers',
  'X-Ray Technicians',
  'e-Commerce Specialists',
  'Non-Destructive Inspectors',
  '3D Animators',
  '24/7 Support',
  '1st Line Supervisors',
  '2ND Shift Workers',
  '21st Century Skills',
  '4th Grade Teachers',
  'ABCdef',
  'ABC123def',
  'A Bird And A Plane Of Words',
  'already CamelCase Words',
  'ALL CAPS TITLE',
  'all lower title',
  'x',
  '42',
  '',
  '   ',
  '---',
];

const inputs = onet.concat(awkward);
const seen = new Set();
for (const title of inputs) {
  if (/[\t\r\n]/.test(title)) throw new Error(`tab or newline in input: ${JSON.stringify(title)}`);
  if (seen.has(title)) throw new Error(`duplicate input: ${JSON.stringify(title)}`);
  seen.add(title);
}

const slug = (title) => _.upperFirst(_.camelCase(title));
const lines = ['title\tslug'].concat(inputs.map((t) => `${t}\t${slug(t)}`));
fs.writeFileSync(outPath, lines.join('\n') + '\n', 'utf8');
console.log(
  `lodash ${_.VERSION}: wrote ${inputs.length} rows (${onet.length} O*NET + ${awkward.length} awkward) to ${outPath}`,
);

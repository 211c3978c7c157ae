/**
 * Prints "N passed, N failed" from a deno test JUnit report (CI reads this line; deno's own summary
 * has a different shape).
 */
const xml = await Deno.readTextFile(Deno.args[0]);
let passed = 0;
let failed = 0;
// Each <testcase ...> is either self-closing (passed) or contains <failure>/<error> (failed) or
// <skipped>. Steps appear as their own testcases; all count.
const caseRe = /<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g;
for (const m of xml.matchAll(caseRe)) {
  const body = m[2] ?? "";
  if (/<(failure|error)\b/.test(body)) failed++;
  else if (!/<skipped\b/.test(body)) passed++;
}
console.log(`${passed} passed, ${failed} failed`);

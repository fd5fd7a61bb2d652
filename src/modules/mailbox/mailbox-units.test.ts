import assert from 'node:assert/strict';
import { test } from 'node:test';
import { htmlToText, sanitiseLetterHtml } from './html-document.ts';
import { httpsLink } from './open-message.ts';
import { uniqueNames } from './read-document.ts';

test('only https URLs become links; every other scheme is refused', () => {
  assert.equal(httpsLink('https://betal.example.dk/faktura?id=1'), 'https://betal.example.dk/faktura?id=1');
  for (const bad of [
    'http://betal.example.dk',
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'ftp://example.dk',
    'mailto:a@example.dk',
    '//example.dk',
    'https://',
    ' javascript:alert(1)',
    '',
    null,
  ]) {
    assert.equal(httpsLink(bad), null, String(bad));
  }
});

test('sender HTML loses scripts, handlers, styles, forms, frames and non-https links, and keeps its text', () => {
  const dirty = `<h1 onclick="x()">Kære Anna</h1><script>alert(1)</script><style>body{}</style>
    <p style="color:red">Se <a href="javascript:alert(1)">her</a>, <a href="http://a.dk">her</a> og
    <a href="https://borger.dk/x">borger.dk</a>.</p><img src="https://tracker.example/p.gif" alt="spor">
    <img src="data:image/png;base64,iVBORw0KGgo=" alt="logo"><iframe src="https://x"></iframe>
    <form action="https://x"><input name="cpr"></form><object data="x"></object>`;
  const clean = sanitiseLetterHtml(dirty);
  assert.match(clean, /<h1>Kære Anna<\/h1>/);
  assert.match(clean, /<a href="https:\/\/borger.dk\/x">borger.dk<\/a>/);
  assert.match(clean, /<img src="data:image\/png;base64,iVBORw0KGgo=" alt="logo" \/>/);
  for (const gone of [
    /<script/,
    /alert\(1\)/,
    /onclick/,
    /<style/,
    /style=/,
    /javascript:/,
    /http:\/\/a\.dk/,
    /tracker\.example/,
    /<iframe/,
    /<form/,
    /<input/,
    /<object/,
  ]) {
    assert.doesNotMatch(clean, gone);
  }
  assert.equal(htmlToText('<p>Ærø &amp; Fanø</p><script>x</script>').trim(), 'Ærø & Fanø');
});

test('names in a zip are unique and never paths', () => {
  assert.deepEqual(uniqueNames(['brev.pdf', 'Brev.pdf', 'brev.pdf', '../x/y.txt', 'bilag']), [
    'brev.pdf',
    'Brev (2).pdf',
    'brev (3).pdf',
    'y.txt', // a path keeps only its last part (safeFilename)
    'bilag',
  ]);
});

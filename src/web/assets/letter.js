// The letter page's one piece of script (the CSP allows scripts from this origin only, none inline): the Print
// button, hidden until this runs, prints the page; the print styles in letter.css decide what goes on paper.
for (const button of document.querySelectorAll('[data-kuvert-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}

// Drops the rules of a stylesheet that no page can match, and the custom properties nothing reads.
// A selector is kept unless it names a class, an element or an attribute that appears nowhere in the markup's sources
// (the JSX, the browser script, the Markdown allow-list), or an attribute value never written for that attribute: a
// word found anywhere keeps a class, so the pruning errs on the side of keeping. Inside :not() nothing is required;
// :is(), :where() and :has() need one of their selectors. Shadow DOM (:host) is not used; :indeterminate needs a
// script that says so; -ms- prefixes were for Internet Explorer and the old Edge.
import postcss from 'postcss';

const quoted = (text) => [...text.matchAll(/['"`]([^'"`]*)['"`]/g)].map((m) => m[1]);
const camel = (name) => name.replace(/-(\w)/g, (_, c) => c.toUpperCase());

/**
 * What the markup's sources can put in a page: `names` are their words (class names, tags, attribute names);
 * `values` maps an attribute to the values written for it (`type="search"`, `'aria-invalid': 'true'`,
 * `aria-current={tab === 'list' ? 'page' : undefined}`, `setAttribute('role', 'img')`); an attribute also given a
 * value that is not written out (`setAttribute('aria-selected', String(on))`, or any `role: …` key, types included)
 * is in `open`, and may hold any quoted word of the sources (`anyValue`). `type={type}` passes its component's own prop on: its values are the
 * callers' `type="…"`.
 */
export function markupWords(texts) {
  const names = new Set();
  const anyValue = new Set();
  const values = new Map();
  const open = new Set();
  const add = (name, expression, literal) => {
    const words = literal === undefined ? quoted(expression) : [literal];
    if (words.length === 0) {
      if (expression.trim() !== camel(name)) open.add(name);
      return;
    }
    if (!values.has(name)) values.set(name, new Set());
    for (const word of words) for (const value of word.split(/\s+/)) values.get(name).add(value);
  };
  for (const text of texts) {
    for (const word of text.match(/[A-Za-z][\w-]*/g) ?? []) names.add(word);
    for (const word of quoted(text)) for (const value of word.split(/\s+/)) anyValue.add(value);
    for (const m of text.matchAll(/([\w-]+)['"]?\s*[:=]\s*(['"])([^'"]*)\2/g)) add(m[1], '', m[3]);
    for (const m of text.matchAll(/([\w-]+)=\{([^{}]*)\}/g)) add(m[1], m[2]);
    for (const m of text.matchAll(/['"]?([\w-]+)['"]?\s*:\s*([^,}\n]*)/g)) add(m[1], m[2]);
    for (const m of text.matchAll(/setAttribute\(\s*['"]([\w-]+)['"]\s*,\s*([^)]*)\)/g)) add(m[1], m[2]);
    for (const m of text.matchAll(/\.(type|role|dir)\s*=(?!=)\s*([^;\n]*)/g)) add(m[1], m[2]);
  }
  return { names, values, open, anyValue };
}

/** Whether an attribute can have this value in a page. */
function valueUsed(name, value, words) {
  if (words.open.has(name)) return words.anyValue.has(value);
  return words.values.get(name)?.has(value) ?? false;
}

/** Splits a selector list (or a pseudo-class's arguments) at its top-level commas. */
function splitList(list) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const ch = list[i];
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(list.slice(start).trim());
  return parts;
}

/** Whether a selector can match markup made of these words. */
export function selectorUsed(selector, words) {
  if (/(^|[\s>+~(,]):host\b/.test(selector)) return false;
  // Only a script makes a checkbox indeterminate; only Internet Explorer and the old Edge knew ::-ms-*.
  if (/:indeterminate\b/.test(selector) && !words.names.has('indeterminate')) return false;
  if (/::-ms-/.test(selector)) return false;
  // Functional pseudo-classes, innermost first: :not() asks nothing, :is()/:where()/:has() one of their selectors.
  let rest = selector;
  for (let match; (match = /:([\w-]+)\(([^()]*)\)/.exec(rest));) {
    const [whole, name, args] = match;
    const ok = ['is', 'where', 'has'].includes(name) ? splitList(args).some((s) => selectorUsed(s, words)) : true;
    if (!ok) return false;
    // What remains is neutral (an argument-free :is() still separates the compound selectors around it).
    rest = rest.slice(0, match.index) + ' ' + rest.slice(match.index + whole.length);
  }
  for (const [, name, value] of rest.matchAll(
    /\[\s*([\w-]+)\s*(?:[~|^$*]?=\s*["']?([^"'\]\s]*)["']?\s*)?(?:\s[is])?\]/g,
  )) {
    if (!words.names.has(name) || (value && /^[A-Za-z][\w-]*$/.test(value) && !valueUsed(name, value, words)))
      return false;
  }
  const bare = rest.replace(/\[[^\]]*\]/g, ' ').replace(/::?[\w-]+/g, ' ');
  for (const [, cls] of bare.matchAll(/\.([A-Za-z][\w-]*)/g)) if (!words.names.has(cls)) return false;
  for (const [, tag] of bare.matchAll(/(?:^|[\s>+~,])([a-z][a-z0-9]*)\b/g)) {
    if (tag !== 'html' && tag !== 'body' && !words.names.has(tag)) return false;
  }
  return true;
}

/** Specificity of a selector without functional pseudo-classes, as one comparable number. */
function specificity(selector) {
  const bare = selector.replace(/\[[^\]]*\]/g, ' [] ');
  const ids = (bare.match(/#[\w-]+/g) ?? []).length;
  const classes =
    (bare.match(/\.[\w-]+/g) ?? []).length +
    (bare.match(/\[\]/g) ?? []).length +
    (bare.match(/(?<!:):[\w-]+/g) ?? []).length;
  const elements = (bare.match(/(?:^|[\s>+~])[a-z][\w-]*/g) ?? []).length + (bare.match(/::[\w-]+/g) ?? []).length;
  return ids * 10_000 + classes * 100 + elements;
}

/**
 * The selector with the unusable choices of its :where() and :is() lists left out. :where() counts for nothing in
 * the cascade; an :is() weighs as its heaviest choice, so a choice is left out only when a kept one weighs as much.
 */
function withoutUnusedChoices(selector, words) {
  return selector.replace(/:(is|where)\(([^()]*)\)/g, (whole, name, args) => {
    const choices = splitList(args);
    const kept = choices.filter((choice) => selectorUsed(choice, words));
    if (kept.length === 0 || kept.length === choices.length) return whole;
    if (name === 'is') {
      const heaviest = Math.max(...kept.map(specificity));
      if (choices.some((choice) => !kept.includes(choice) && specificity(choice) > heaviest)) return whole;
    }
    return `:${name}(${kept.join(',')})`;
  });
}

/**
 * The stylesheet without the selectors these words cannot match, then without the custom properties that neither
 * it nor `readers` (other stylesheets and scripts that read or set them) mention, then without empty blocks.
 */
export function pruneCss(css, words, readers = []) {
  const root = postcss.parse(css);
  root.walkDecls(/^-ms-/, (decl) => decl.remove());
  root.walkRules((rule) => {
    if (rule.parent?.type === 'atrule' && /keyframes$/.test(rule.parent.name)) return;
    const kept = rule.selectors.filter((selector) => selectorUsed(selector, words));
    if (kept.length === 0) rule.remove();
    else rule.selectors = kept.map((selector) => withoutUnusedChoices(selector, words));
  });
  // A property read only by removed rules (or by properties removed in the round before) goes too.
  for (let removed = true; removed;) {
    removed = false;
    const text = [root.toString(), ...readers].join('\n');
    const read = new Set([...text.matchAll(/var\(\s*(--[\w-]+)/g)].map((m) => m[1]));
    root.walkDecls(/^--/, (decl) => {
      if (!read.has(decl.prop)) {
        decl.remove();
        removed = true;
      }
    });
  }
  for (let emptied = true; emptied;) {
    emptied = false;
    root.walk((node) => {
      if ((node.type === 'rule' || node.type === 'atrule') && node.nodes && node.nodes.length === 0) {
        node.remove();
        emptied = true;
      }
    });
  }
  // Sass writes computed colours with ten decimals ("rgb(90.5882352941%, …)"); two are finer than a screen shows.
  return root.toString().replace(/\d+\.\d{5,}/g, (n) => String(Number(Number(n).toFixed(2))));
}

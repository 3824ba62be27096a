// Saving a CSV the API sent: the key travels in a header, so a plain link cannot fetch it; the text becomes a
// Blob behind a temporary object URL that an <a download> saves.

/** `name.csv` with the range in it, so two downloads of different periods do not overwrite each other. */
export function fileName(suggested, { from, to }) {
  const base = suggested.replace(/\.csv$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-');
  return `${base}_${from}_${to}.csv`;
}

/** Makes the browser save `text` as `name`. */
export function saveText(win, text, name, type = 'text/csv;charset=utf-8') {
  const doc = win.document;
  const url = win.URL.createObjectURL(new win.Blob([text], { type }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  doc.body.append(a);
  a.click();
  a.remove();
  // the download has its own reference by now; later, so a slow browser still finds the blob
  win.setTimeout(() => win.URL.revokeObjectURL(url), 10000);
}

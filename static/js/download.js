// Saving a text the server sent as a file on the learner's machine (the Keras export, the data as CSV).

/** Offer `text` as a download named `filename`. */
export function downloadText(filename, text, type = "text/x-python") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

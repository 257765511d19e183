// Reading a file the person picked. Bound Go methods take bytes as base64
// text, so a file goes over as base64 without the data: URL prefix.

/** A file's bytes as plain base64 ("UEsDBA…"), without "data:…;base64,". */
export function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : '';
      const comma = url.indexOf(',');
      if (!url.startsWith('data:') || comma < 0) reject(new Error('the file did not read as data'));
      else resolve(url.slice(comma + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(file);
  });
}

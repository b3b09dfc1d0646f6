/** Just enough multipart/form-data parsing for the fakes: text fields, and files as byte counts. */
export interface MultipartFile {
  filename: string | null;
  contentType: string | null;
  bytes: number;
  /** A text file's content (JSON, plain text), for tests that read what was sent. */
  text?: string;
}

export function parseMultipart(body: Buffer, contentType: string): Record<string, string | MultipartFile> {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw Object.assign(new Error('multipart body without boundary'), { statusCode: 400 });
  const delim = Buffer.from(`--${boundary}`);
  const out: Record<string, string | MultipartFile> = {};
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    const start = pos + delim.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delim, start);
    if (next < 0) break;
    const part = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const content = part.subarray(headerEnd + 4);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    // Quoted or bare (grammY writes `filename=name.png` without quotes).
    const fm = /filename=(?:"([^"]*)"|([^;\r\n]+))/i.exec(headers);
    const filename = fm ? (fm[1] ?? fm[2]) : undefined;
    if (name !== undefined) {
      out[name] =
        filename !== undefined || /content-type:\s*(?!text\/plain)/i.test(headers)
          ? {
              filename: filename ?? null,
              contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? null,
              bytes: content.length,
              ...(/\.(json|txt)$/i.test(filename ?? '') ? { text: content.toString('utf8') } : {}),
            }
          : content.toString('utf8');
    }
    pos = next;
  }
  return out;
}

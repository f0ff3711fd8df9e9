import PDFDocument from "pdfkit";
import type { InvoicePdfRenderer, InvoicePrintout } from "../../domain/billing/invoice-pdf";

/**
 * Lays out an InvoicePrintout on US Letter with pdfkit's built-in Helvetica: real text (copyable,
 * searchable, read by `pdftotext`), no fonts or images to ship. The built-in fonts cover Latin-1
 * (WinAnsi); a character outside it is replaced rather than drawn as a wrong glyph.
 */

const MARGIN = 54;
const INK = "#1f2933";
const MUTED = "#6b7280";
const LINE = "#d1d5db";

/** Characters WinAnsi (the built-in fonts' encoding) cannot draw become their nearest plain form. */
function winAnsi(s: string): string {
  return s
    .replace(/[\u2212\u2010-\u2012]/g, "-")
    .replace(/[\u202f\u00a0]/g, " ")
    // eslint-disable-next-line no-control-regex -- the whole Latin-1 range is the allowed set
    .replace(/[^\u0000-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]/g, "?");
}

export const pdfkitInvoiceRenderer: InvoicePdfRenderer = {
  render(p: InvoicePrintout): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const doc = new PDFDocument({ size: "LETTER", margin: MARGIN, info: { Title: `${p.title} ${p.facts[0]?.[1] ?? ""}`, Author: p.from.name, Creator: "LeadLedger" } });
      const chunks: Buffer[] = [];
      doc.on("data", (c: Buffer) => chunks.push(c));
      doc.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
      doc.on("error", reject);
      const width = doc.page.width - 2 * MARGIN;
      const right = doc.page.width - MARGIN;
      const t = (s: string) => winAnsi(s);

      // From (left) and title with facts (right).
      const top = MARGIN;
      doc.fillColor(INK).font("Helvetica-Bold").fontSize(14).text(t(p.from.name), MARGIN, top, { width: width / 2 });
      doc.font("Helvetica").fontSize(9).fillColor(MUTED);
      for (const l of p.from.lines) doc.text(t(l), { width: width / 2 });
      const leftBottom = doc.y;

      doc.fillColor(INK).font("Helvetica-Bold").fontSize(22).text(t(p.title.toUpperCase()), MARGIN + width / 2, top, { width: width / 2, align: "right" });
      if (p.stamp) doc.fillColor(p.stamp === "PAID" ? "#047857" : "#b91c1c").fontSize(12).text(t(p.stamp), { width: width / 2, align: "right" });
      doc.moveDown(0.5);
      doc.fontSize(9);
      for (const [label, value] of p.facts) {
        const y = doc.y;
        doc.font("Helvetica").fillColor(MUTED).text(t(label), MARGIN + width / 2, y, { width: width / 4 });
        doc.font("Helvetica-Bold").fillColor(INK).text(t(value), MARGIN + (3 * width) / 4, y, { width: width / 4, align: "right" });
      }
      let y = Math.max(leftBottom, doc.y) + 20;

      // Bill to.
      doc.font("Helvetica-Bold").fontSize(9).fillColor(MUTED).text("BILL TO", MARGIN, y);
      doc.font("Helvetica-Bold").fontSize(11).fillColor(INK).text(t(p.billTo.name));
      doc.font("Helvetica").fontSize(9);
      for (const l of p.billTo.lines) doc.text(t(l));
      y = doc.y + 20;

      // Lines.
      const cols = { desc: MARGIN, qty: MARGIN + width * 0.58, unit: MARGIN + width * 0.68, amount: MARGIN + width * 0.84 };
      const colW = { desc: width * 0.56, qty: width * 0.08, unit: width * 0.15, amount: width * 0.16 };
      const header = (at: number) => {
        doc.font("Helvetica-Bold").fontSize(9).fillColor(MUTED);
        doc.text("Description", cols.desc, at, { width: colW.desc });
        doc.text("Qty", cols.qty, at, { width: colW.qty, align: "right" });
        doc.text("Unit", cols.unit, at, { width: colW.unit, align: "right" });
        doc.text("Amount", cols.amount, at, { width: colW.amount, align: "right" });
        doc.moveTo(MARGIN, at + 14).lineTo(right, at + 14).strokeColor(LINE).stroke();
        return at + 20;
      };
      y = header(y);
      doc.font("Helvetica").fontSize(10).fillColor(INK);
      if (p.lines.length === 0) {
        doc.fillColor(MUTED).text("No charges or credits in this period.", cols.desc, y);
        y = doc.y + 6;
      }
      for (const l of p.lines) {
        const h = doc.heightOfString(t(l.description), { width: colW.desc });
        if (y + h > doc.page.height - MARGIN - 120) {
          doc.addPage();
          y = header(MARGIN);
        }
        doc.font("Helvetica").fontSize(10).fillColor(INK);
        doc.text(t(l.description), cols.desc, y, { width: colW.desc });
        doc.text(t(l.quantity), cols.qty, y, { width: colW.qty, align: "right" });
        doc.text(t(l.unit), cols.unit, y, { width: colW.unit, align: "right" });
        doc.text(t(l.amount), cols.amount, y, { width: colW.amount, align: "right" });
        y += h + 8;
      }
      doc.moveTo(MARGIN, y).lineTo(right, y).strokeColor(LINE).stroke();
      y += 10;

      // Totals, right-aligned.
      for (const [i, [label, value]] of p.totals.entries()) {
        const grand = i === 2;
        doc.font(grand ? "Helvetica-Bold" : "Helvetica").fontSize(grand ? 12 : 10).fillColor(INK);
        doc.text(t(label), cols.unit - width * 0.1, y, { width: width * 0.25, align: "right" });
        doc.text(t(value), cols.amount, y, { width: colW.amount, align: "right" });
        y = doc.y + 4;
      }
      y += 16;

      // Payment and footer.
      doc.font("Helvetica-Bold").fontSize(9).fillColor(MUTED).text("PAYMENT", MARGIN, y);
      doc.font("Helvetica").fontSize(10).fillColor(INK);
      for (const l of p.payment) doc.text(t(l), { width });
      doc.moveDown(2);
      doc.font("Helvetica").fontSize(8).fillColor(MUTED).text(t(p.footer), { width });
      doc.end();
    });
  },
};

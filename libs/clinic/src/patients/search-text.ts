/** Lower case without accents: "José Ñúñez" → "jose nunez". Stored and searched the same way. */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function patientSearchText(p: { firstName: string; lastName: string; mrn: string }): string {
  return foldForSearch(`${p.firstName} ${p.lastName} ${p.mrn}`);
}

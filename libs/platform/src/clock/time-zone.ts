/** True for a time zone name the runtime's IANA database knows (e.g. America/New_York). */
export function isValidTimeZone(name: string): boolean {
  if (!name || !/^[A-Za-z_+\-/0-9]+$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

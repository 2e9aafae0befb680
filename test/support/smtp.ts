import { SMTPServer } from 'smtp-server';

export interface Received {
  to: string[];
  subject: string;
  raw: string;
}

/** A real SMTP server on loopback that keeps what arrives in `inbox`. */
export function smtp(port: number, inbox: Received[]): Promise<SMTPServer> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: /^Subject: (.*)$/m.exec(raw)?.[1] ?? '', raw });
        callback();
      });
    },
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

/** Closes it: new connections are refused until a server listens on the port again. */
export function closeSmtp(server: SMTPServer): Promise<void> {
  return new Promise((r) => server.close(() => r()));
}

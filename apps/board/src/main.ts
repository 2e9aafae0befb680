import 'uplot/dist/uPlot.min.css';
import './board.css';
import './tile.css';
import './forms.css';
import './unbound.css';
import { Api, ApiError } from './api.js';
import { Board } from './board.js';
import { $, setText } from './dom.js';

/** The page: signed out, the sign-in form; signed in, the board (GET /api/v1/board, live by its stream). */
const api = new Api();
let board: Board | null = null;

const signInSection = $(document, '#sign-in');
const form = $(document, '#sign-in-form') as HTMLFormElement;
const signOutButton = $(document, '#sign-out') as HTMLButtonElement;

function stopBoard(): void {
  board?.stop();
  board = null;
}

function showSignIn(message: string): void {
  stopBoard();
  // A form or a session's detail left open is closed with the board.
  for (const d of document.querySelectorAll('dialog')) d.close();
  signOutButton.hidden = true;
  setText($(document, '#me'), '');
  setText($(document, '#sign-in-error'), message);
  $(document, '#empty').hidden = true;
  signInSection.hidden = false;
  (form.elements.namedItem('email') as HTMLInputElement).focus();
}

function showBoard(): void {
  signInSection.hidden = true;
  signOutButton.hidden = false;
  const user = api.user!;
  setText($(document, '#me'), `${user.name} · ${user.role}`);
  board = new Board(api, $(document, '#board'), (message) => {
    stopBoard();
    void api.signOut().then(() => showSignIn(message));
  });
  board.start();
}

api.onSignedOut = (why) => showSignIn(why);

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const email = (form.elements.namedItem('email') as HTMLInputElement).value.trim();
  const password = (form.elements.namedItem('password') as HTMLInputElement).value;
  const submit = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
  submit.disabled = true;
  setText($(document, '#sign-in-error'), '');
  api.signIn(email, password).then(
    () => {
      submit.disabled = false;
      form.reset();
      showBoard();
    },
    (err: unknown) => {
      submit.disabled = false;
      const message =
        err instanceof ApiError
          ? err.status === 401
            ? 'Email or password is not right.'
            : err.status === 429
              ? 'Too many attempts; wait a moment and try again.'
              : err.message
          : 'Vigil could not be reached; try again.';
      setText($(document, '#sign-in-error'), message);
    },
  );
});

// The board stops before the login ends, so none of its reads goes out with a token just revoked.
signOutButton.addEventListener('click', () => {
  stopBoard();
  void api.signOut();
});

void api.resume().then((resumed) => (resumed ? showBoard() : showSignIn('')));

// The limits of one upload piece, shared by the wizard that cuts the pieces
// (components/upload/piece-cutter.ts, in the browser), the pieces route and
// the front server that bounds its body. No server code here.

/** The most the pieces route (app/(admin)/imports/new/pieces) reads of one request. */
export const MAX_PIECE_BODY_BYTES = 8 * 1024 * 1024;
/** The most rows in one piece. */
export const MAX_PIECE_ROWS = 50_000;
/** Where the wizard sends its pieces. */
export const PIECES_PATH = "/imports/new/pieces";

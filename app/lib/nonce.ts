import { createContext, useContext } from "react";

/** The CSP nonce of the server render; browsers hide it after load, so the client renders "". */
export const NonceContext = createContext("");
export const useNonce = () => useContext(NonceContext);

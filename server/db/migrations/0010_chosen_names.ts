/**
 * A guest's own chosen name, kept beside the coordinator's record of them (issue #20 item 8). Joining
 * used to overwrite the recorded name, so a guest could take any name, the coordinator's included,
 * and the closed plan recorded it. Null: the guest chose no other name than the recorded one.
 */
export const sql = `
ALTER TABLE participants ADD COLUMN chosen_name TEXT;
`;

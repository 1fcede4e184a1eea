// A resource directory's folder tree (src/engine/resource-directory.ts): which accounts a folder
// holds with its sub-folders, what a deployment's targets expand to, and the tree the control
// plane shows. Pure: the directory as its rows read it.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DirectoryView, expandTargets, ROOT_FOLDER_ID } from '../../src/engine/resource-directory.ts';

// Root ─ fd-a ─ fd-a1 ─ fd-a1x
//      │      └ fd-a2
//      └ fd-b
const dir = new DirectoryView(
  [
    { folder_id: 'fd-a', parent_folder_id: null, name: 'A' },
    { folder_id: 'fd-a1', parent_folder_id: 'fd-a', name: 'fd-a1' },
    { folder_id: 'fd-a2', parent_folder_id: 'fd-a', name: 'fd-a2' },
    { folder_id: 'fd-a1x', parent_folder_id: 'fd-a1', name: 'deep' },
    { folder_id: 'fd-b', parent_folder_id: null, name: 'B' },
  ],
  [
    { account_id: '9', folder_id: 'fd-a1x' },
    { account_id: '1', folder_id: ROOT_FOLDER_ID },
    { account_id: '5', folder_id: 'fd-a2' },
    { account_id: '3', folder_id: 'fd-b' },
    { account_id: '7', folder_id: 'fd-a' },
  ],
);

it('holds in a folder the accounts of every folder below it, in directory order', () => {
  assert.deepEqual([...dir.subtree('fd-a')].sort(), ['fd-a', 'fd-a1', 'fd-a1x', 'fd-a2']);
  assert.deepEqual([...dir.subtree('fd-a1x')], ['fd-a1x']);
  assert.deepEqual(dir.accountsIn(['fd-a']), [
    { accountId: '9', folderId: 'fd-a1x' },
    { accountId: '5', folderId: 'fd-a2' },
    { accountId: '7', folderId: 'fd-a' },
  ]);
  assert.deepEqual(dir.accountsIn(['fd-a1', 'fd-b']).map((a) => a.accountId), ['9', '3']);
  assert.deepEqual(dir.accountsIn([]), []);
  assert.equal(dir.accountsIn([ROOT_FOLDER_ID]).length, 5);
});

it('tells whether an account sits in one of the folders or below, and where', () => {
  assert.equal(dir.isUnder('9', ['fd-a']), true);
  assert.equal(dir.isUnder('9', ['fd-b', 'fd-a1']), true);
  assert.equal(dir.isUnder('7', ['fd-a1']), false);
  assert.equal(dir.isUnder('3', ['fd-a']), false);
  assert.equal(dir.isUnder('404', [ROOT_FOLDER_ID]), false);
  assert.equal(dir.isUnder('9', []), false);
  assert.equal(dir.folderOf('5'), 'fd-a2');
  assert.equal(dir.folderOf('404'), undefined);
  assert.deepEqual([...dir.folders.keys()], [ROOT_FOLDER_ID, 'fd-a', 'fd-a1', 'fd-a2', 'fd-a1x', 'fd-b']);
});

it('shows the tree from the root, each folder with its name, its own accounts and its sub-folders', () => {
  assert.deepEqual(dir.tree(), {
    folderId: ROOT_FOLDER_ID,
    name: 'Root',
    accountIds: ['1'],
    folders: [
      {
        folderId: 'fd-a',
        name: 'A',
        accountIds: ['7'],
        folders: [
          { folderId: 'fd-a1', name: 'fd-a1', accountIds: [], folders: [{ folderId: 'fd-a1x', name: 'deep', accountIds: ['9'], folders: [] }] },
          { folderId: 'fd-a2', name: 'fd-a2', accountIds: ['5'], folders: [] },
        ],
      },
      { folderId: 'fd-b', name: 'B', accountIds: ['3'], folders: [] },
    ],
  });
  assert.deepEqual(new DirectoryView([], []).tree(), { folderId: ROOT_FOLDER_ID, name: 'Root', accountIds: [], folders: [] });
});

it('expands deployment targets to member accounts once each, with the folder each sits in', () => {
  assert.deepEqual(expandTargets(dir, { RdFolderIds: ['fd-a1', 'fd-b'] }), [
    { accountId: '9', folderId: 'fd-a1x' },
    { accountId: '3', folderId: 'fd-b' },
  ]);
  // An account named and also reached through a folder is one target, with its own folder.
  assert.deepEqual(expandTargets(dir, { RdFolderIds: ['fd-b'], AccountIds: ['3', '1'] }), [
    { accountId: '3', folderId: 'fd-b' },
    { accountId: '1', folderId: ROOT_FOLDER_ID },
  ]);
  assert.deepEqual(expandTargets(dir, {}), []);
  assert.throws(() => expandTargets(dir, { RdFolderIds: ['fd-b', 'fd-nowhere'] }), /DeploymentTargets is invalid, the folder fd-nowhere does not exist in the resource directory/);
  assert.throws(() => expandTargets(dir, { AccountIds: ['404'] }), /DeploymentTargets is invalid, the account 404 is not a member of the resource directory/);
});
